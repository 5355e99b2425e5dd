import type { RunSummary } from '../../../shared/apiTypes';

/** A run's status in the words of the history: finished, stopped, early-stopped, failed, interrupted, damaged, training. */
export function runStatusText(run: Pick<RunSummary, 'status' | 'stoppedBy'>): string {
  if (run.status === 'completed') return run.stoppedBy === 'early-stopping' ? 'early-stopped' : 'finished';
  if (run.status === 'running') return 'training';
  return run.status;
}

/** Why a finished run ended, in a sentence. */
export function stoppedByText(run: Pick<RunSummary, 'status' | 'stoppedBy' | 'error'>): string {
  if (run.status === 'failed') return `it failed: ${run.error ?? 'unknown error'}`;
  switch (run.stoppedBy) {
    case 'epochs':
      return 'it trained every epoch';
    case 'early-stopping':
      return 'val_loss stopped improving (early stopping)';
    case 'user':
      return 'you stopped it';
    default:
      return run.status;
  }
}
