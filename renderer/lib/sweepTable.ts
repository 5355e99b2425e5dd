import type { RunSummary } from '../../shared/apiTypes';
import type { SweepSummary } from '../../shared/sweeps/sweepSummary';

/** One run of a sweep as its results table shows it: where it stands in the queue, what it set, what it gave. */
export interface SweepRow {
  position: number;
  settings: Record<string, number | string>;
  status: SweepSummary['trials'][number]['status'];
  run: RunSummary | null;
}

/** A column: a setting the sweep varies, or one of the results. */
export type SweepColumn = { kind: 'setting'; name: string } | { kind: 'result'; name: 'bestValAccuracy' | 'testAccuracy' | 'params' | 'seconds' };

export const resultColumns = ['bestValAccuracy', 'testAccuracy', 'params', 'seconds'] as const;

/** The settings a sweep varies, in the order of its axes. */
export function sweptSettings(sweep: SweepSummary): string[] {
  return [...sweep.spec.grid.map((a) => a.setting), ...(sweep.spec.random?.axes.map((a) => a.setting) ?? [])];
}

export function sweepRows(sweep: SweepSummary, runs: readonly RunSummary[]): SweepRow[] {
  return sweep.trials.map((trial, i) => ({
    position: i + 1,
    settings: trial.settings,
    status: trial.status,
    run: runs.find((r) => r.id === trial.runId) ?? null,
  }));
}

export function cellValue(row: SweepRow, column: SweepColumn): number | string | null {
  return column.kind === 'setting' ? (row.settings[column.name] ?? null) : (row.run?.[column.name] ?? null);
}

/** The rows whose every filtered cell contains its filter's text, sorted by a column (empty cells last either way). */
export function shownRows(rows: readonly SweepRow[], filters: Record<string, string>, sort: { column: SweepColumn; descending: boolean } | null): SweepRow[] {
  const kept = rows.filter((row) =>
    Object.entries(filters).every(([name, text]) => text.trim() === '' || String(row.settings[name] ?? '').includes(text.trim())),
  );
  if (!sort) return kept;
  const sign = sort.descending ? -1 : 1;
  return [...kept].sort((a, b) => {
    const x = cellValue(a, sort.column);
    const y = cellValue(b, sort.column);
    if (x === null || y === null) return x === y ? a.position - b.position : x === null ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * order || a.position - b.position;
  });
}

/** The finished run with the highest best validation accuracy (the sweep's objective), or null. */
export function bestRow(rows: readonly SweepRow[]): SweepRow | null {
  return rows.reduce<SweepRow | null>((best, row) => {
    const value = row.run?.bestValAccuracy;
    if (row.status !== 'done' || value == null) return best;
    return !best || value > best.run!.bestValAccuracy! ? row : best;
  }, null);
}

/**
 * Where a waiting run goes when the user moves it one place `earlier` or later among the waiting runs (queue indices,
 * from 0), or null at either end; runs already trained or training keep their places.
 */
export function queueMove(rows: readonly SweepRow[], row: SweepRow, earlier: boolean): { from: number; to: number } | null {
  if (row.status !== 'pending') return null;
  const waiting = rows.filter((r) => r.status === 'pending').map((r) => r.position - 1);
  const at = waiting.indexOf(row.position - 1);
  const to = waiting[earlier ? at - 1 : at + 1];
  return to === undefined ? null : { from: row.position - 1, to };
}
