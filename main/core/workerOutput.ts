import type { BackendReport } from '../../shared/apiTypes';
import { wordBackendReason, type BackendReason } from '../../shared/backendReasons';

// A worker's console output holds what its libraries print on their own: libwayland's complaint
// that XDG_RUNTIME_DIR is unset (harmless without a display), Dawn's warnings as it skips a Vulkan
// adapter (three lines ending in a path on Dawn's build machine) and tfjs' banner suggesting
// tfjs-node. None of it is for the terminal: Dawn's findings explain the WebGPU candidate, so
// they go into its reason; the rest is dropped. Anything else passes through unchanged.

/** Dawn's findings kept per worker: enough to explain the probe, never a growing log. */
const maxNotes = 4;
const maxNoteLength = 300;

const droppedLines = [/^error: XDG_RUNTIME_DIR is invalid or not set/, /^=+$/, /^Hi, looks like you are running TensorFlow\.js in Node\.js/];
const dawnWarning = /^Warning: (.+)$/;
const dawnContext = /^ - (While .+?)(?: \(backend=BackendType::\w+\))?$/;
const dawnSourceLine = /^ {4}at \S+ \(.+:\d+\)$/;

export class WorkerOutput {
  private partial = '';
  private readonly notes: string[] = [];
  /** The note being read: a Dawn warning whose context lines may follow. */
  private open: string | null = null;

  constructor(private readonly passThrough: (text: string) => void) {}

  /** Takes a chunk of the worker's stdout or stderr. */
  write(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    // A line without its end for too long is not one of the libraries' short lines: let it out.
    if (this.partial.length > 4096) {
      lines.push(this.partial);
      this.partial = '';
    }
    for (const line of lines) this.line(line.replace(/\r$/, ''));
  }

  /** The output has ended: what was held back is let out or noted. */
  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
    this.closeNote();
  }

  /** What Dawn said, one line a warning, oldest first. */
  dawnNotes(): string[] {
    return this.open === null ? [...this.notes] : [...this.notes, this.open];
  }

  private line(line: string): void {
    if (this.open !== null) {
      const context = dawnContext.exec(line);
      if (context) {
        this.open = `${this.open}, ${context[1]!.charAt(0).toLowerCase()}${context[1]!.slice(1)}`;
        return;
      }
      if (dawnSourceLine.test(line)) return;
      this.closeNote();
      // Dawn ends each warning with an empty line.
      if (line === '') return;
    }
    if (droppedLines.some((pattern) => pattern.test(line))) return;
    const warning = dawnWarning.exec(line);
    if (warning) {
      this.open = warning[1]!.replace(/\.$/, '');
      return;
    }
    this.passThrough(`${line}\n`);
  }

  private closeNote(): void {
    if (this.open === null) return;
    if (this.notes.length < maxNotes && !this.notes.includes(this.open)) this.notes.push(this.open.slice(0, maxNoteLength));
    this.open = null;
  }
}

/**
 * The report with Dawn's findings in the reason WebGPU was not used, where there is one. When
 * Dawn found no adapter, what it said is the reason: it saw one and turned it down.
 */
export function withDawnNotes(report: BackendReport, notes: string[]): BackendReport {
  if (notes.length === 0) return report;
  const said = notes.join('; ');
  const explained = (why: BackendReason): BackendReason =>
    why.key === 'noAdapter' ? { key: 'adapterTurnedDown', params: { notes: said } } : { ...why, dawnNotes: said };
  return {
    ...report,
    candidates: report.candidates.map((candidate) => {
      if (candidate.name !== 'webgpu' || candidate.why === null) return candidate;
      const why = explained(candidate.why);
      return { ...candidate, reason: wordBackendReason(why), why };
    }),
  };
}
