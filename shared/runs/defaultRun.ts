import type { RunSummary } from '../apiTypes';

type RunFacts = Pick<RunSummary, 'status' | 'hasCheckpoint'>;

/**
 * A run whose model is final: trained to its end (every epoch, or early stopping), imported, or
 * an ensemble of such.
 * A stopped run's model is what it had when the user stopped it, and a failed or interrupted
 * run's is whatever its best epoch was before things went wrong.
 */
export const isFinishedRun = (run: Pick<RunSummary, 'status'>): boolean => run.status === 'completed' || run.status === 'imported' || run.status === 'ensemble';

/**
 * The run a view (or `npm run predict`) opens on when none is named: of `runs` (newest first),
 * the newest finished one with a checkpoint; where there is none, the newest with a checkpoint
 * (a stopped run's model still reads digits); `ready` narrows what counts, e.g. to evaluated runs.
 */
export function defaultRun<T extends RunFacts>(runs: T[], ready: (run: T) => boolean = () => true): T | undefined {
  const usable = runs.filter((run) => run.hasCheckpoint && ready(run));
  return usable.find(isFinishedRun) ?? usable[0];
}
