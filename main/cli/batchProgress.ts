import type { TrainBatchEvent } from '../../shared/apiTypes';

/** Keras' progress bar: `[=========>....................]`. */
export function progressBar(done: number, total: number, width = 30): string {
  const filled = total > 0 ? Math.min(width, Math.floor((done / total) * width)) : 0;
  const head = filled < width && done > 0 ? '>' : '';
  return `[${'='.repeat(Math.max(0, filled - (head ? 1 : 0)))}${head}${'.'.repeat(width - Math.max(filled, head ? 1 : 0))}]`;
}

/** Seconds as Keras prints an ETA: 9s, 1:05, 1:02:03. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  return s < 3600 ? `${Math.floor(s / 60)}:${pad(s % 60)}` : `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** One progress line for a batch event: count, bar, ETA of the epoch, running loss and accuracy. */
export function batchProgressLine(event: TrainBatchEvent, batchSize: number): string {
  const total = event.batchesPerEpoch;
  const count = `${String(event.batch).padStart(String(total).length)}/${total}`;
  const eta = event.imagesPerSecond > 0 ? ((total - event.batch) * batchSize) / event.imagesPerSecond : 0;
  return `${count} ${progressBar(event.batch, total)} - ETA: ${formatEta(eta)} - loss: ${event.loss.toFixed(4)} - accuracy: ${event.accuracy.toFixed(4)}`;
}

/**
 * Shows batch progress as Keras' fit does: on a terminal one line redrawn in place; elsewhere
 * (a pipe, a log file) a plain line at each quarter of the epoch, so logs stay readable.
 */
export class BatchProgress {
  private lineOpen = false;
  private lastQuarter = -1;

  constructor(
    private readonly write: (text: string) => void,
    private readonly isTerminal: boolean,
    private readonly batchSize: number,
  ) {}

  batch(event: TrainBatchEvent): void {
    const line = batchProgressLine(event, this.batchSize);
    if (this.isTerminal) {
      this.write(`\r${line}\u001b[K`);
      this.lineOpen = true;
      return;
    }
    const quarter = Math.floor((event.batch / event.batchesPerEpoch) * 4);
    if (quarter > this.lastQuarter && event.batch < event.batchesPerEpoch) {
      this.lastQuarter = quarter;
      this.write(line + '\n');
    }
  }

  /** Ends the in-place line before the epoch's summary line is printed. */
  endEpoch(): void {
    if (this.lineOpen) this.write('\n');
    this.lineOpen = false;
    this.lastQuarter = -1;
  }
}
