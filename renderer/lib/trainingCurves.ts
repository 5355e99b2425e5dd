import { translate, type Language } from './i18n/messages';
import type { BatchPoint, EpochMetrics, StoppedBy } from '../../shared/apiTypes';

export interface Point {
  x: number;
  y: number;
}

/** A run's curves as the dashboard holds them: every batch point and every epoch so far. */
export interface RunCurves {
  batches: BatchPoint[];
  epochs: EpochMetrics[];
}

/** Where a batch point sits on an epoch axis: epoch 3, batch 150 of 300 → 2.5. */
export const batchX = (point: BatchPoint): number => point.epoch - 1 + point.batch / Math.max(1, point.batchesPerEpoch);

/** Exponential smoothing, as TensorBoard's slider does; the running mean already damps noise, so 0.6 is enough. */
export function smooth(points: Point[], weight = 0.6): Point[] {
  let last = points[0]?.y ?? 0;
  return points.map((p) => {
    last = last * weight + p.y * (1 - weight);
    return { x: p.x, y: last };
  });
}

/** What a chart plots for one quantity: the batch curve (smoothed), the epoch values and the validation values. */
export function lossSeries(curves: RunCurves) {
  return {
    batches: smooth(curves.batches.map((b) => ({ x: batchX(b), y: b.loss }))),
    epochs: curves.epochs.map((e) => ({ x: e.epoch, y: e.loss })),
    validation: curves.epochs.map((e) => ({ x: e.epoch, y: e.valLoss })),
  };
}

/** Accuracy, or with `asError` the error 1 − accuracy (the seed plots training error against validation loss). */
export function accuracySeries(curves: RunCurves, asError: boolean) {
  const value = (accuracy: number) => (asError ? 1 - accuracy : accuracy);
  return {
    batches: smooth(curves.batches.map((b) => ({ x: batchX(b), y: value(b.accuracy) }))),
    epochs: curves.epochs.map((e) => ({ x: e.epoch, y: value(e.accuracy) })),
    validation: curves.epochs.map((e) => ({ x: e.epoch, y: asError ? e.valLoss : e.valAccuracy })),
  };
}

/** Markers: the checkpointed (best) epoch, and the epoch where early stopping ended the run. */
export function markers(curves: RunCurves, stoppedBy: StoppedBy | null, pick: (e: EpochMetrics) => number): { best: Point[]; stopped: Point[] } {
  const best = curves.epochs.filter((e) => e.checkpointed).at(-1);
  const last = curves.epochs.at(-1);
  return {
    best: best ? [{ x: best.epoch, y: pick(best) }] : [],
    stopped: stoppedBy === 'early-stopping' && last ? [{ x: last.epoch, y: pick(last) }] : [],
  };
}

/** How far a run is: within the epoch, in all, and the time left at the pace so far. */
export function runProgress(last: BatchPoint | null, epochs: number, elapsedSeconds: number) {
  if (!last) return { epochFraction: 0, runFraction: 0, etaSeconds: null };
  const done = (last.epoch - 1) * last.batchesPerEpoch + last.batch;
  const total = epochs * last.batchesPerEpoch;
  const runFraction = Math.min(1, done / Math.max(1, total));
  return {
    epochFraction: last.batch / Math.max(1, last.batchesPerEpoch),
    runFraction,
    etaSeconds: runFraction > 0 ? (elapsedSeconds * (1 - runFraction)) / runFraction : null,
  };
}

/** A run's epochs as CSV, with the columns Keras' CSVLogger writes (and a few more). */
export function epochsCsv(epochs: EpochMetrics[]): string {
  const header = 'epoch,loss,accuracy,val_loss,val_accuracy,seconds,images_per_second,checkpointed';
  const rows = epochs.map((e) => [e.epoch, e.loss, e.accuracy, e.valLoss, e.valAccuracy, e.seconds, e.imagesPerSecond, e.checkpointed].join(','));
  return [header, ...rows].join('\n') + '\n';
}

/** Seconds as the dashboard shows a duration: 42 s, 3 min 05 s, 1 h 02 min. */
export function formatDuration(seconds: number, language: Language = 'en'): string {
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return translate(language, 'duration.seconds', { s });
  if (s < 3600) return translate(language, 'duration.minutes', { m: Math.floor(s / 60), s: pad(s % 60) });
  return translate(language, 'duration.hours', { h: Math.floor(s / 3600), m: pad(Math.floor(s / 60) % 60) });
}
