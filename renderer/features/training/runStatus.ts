import type { ImportedFormat, RunSummary } from '../../../shared/apiTypes';

/** A run's status in the words of the history: finished, stopped, early-stopped, failed, interrupted, damaged, training. */
export function runStatusText(run: Pick<RunSummary, 'status' | 'stoppedBy'>): string {
  if (run.status === 'completed') return run.stoppedBy === 'early-stopping' ? 'early-stopped' : 'finished';
  if (run.status === 'running') return 'training';
  return run.status;
}

/** The model file formats an imported run may come from, as a user knows them. */
export const importedFormatNames: Record<ImportedFormat, string> = { 'keras-h5': 'Keras HDF5', keras: 'Keras 3 .keras', tfjs: 'TensorFlow.js layers model' };

/** Why a finished run ended, in a sentence. */
export function stoppedByText(run: Pick<RunSummary, 'status' | 'stoppedBy' | 'error'>): string {
  if (run.status === 'failed') return `it failed: ${run.error ?? 'unknown error'}`;
  if (run.status === 'imported') return 'it was imported, not trained here';
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
