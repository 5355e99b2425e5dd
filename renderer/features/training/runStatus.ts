import type { ImportedFormat, RunSummary } from '../../../shared/apiTypes';
import type { UserMessage } from '../../lib/i18n/userMessage';

/** A run's status in the words of the history: finished, stopped, early-stopped, failed, interrupted, damaged, training. */
export function runStatusText(run: Pick<RunSummary, 'status' | 'stoppedBy'>): UserMessage {
  if (run.status === 'completed') return { key: run.stoppedBy === 'early-stopping' ? 'run.status.earlyStopped' : 'run.status.finished' };
  return { key: `run.status.${run.status}` };
}

/** The model file formats an imported run may come from, as a user knows them (names, the same in every language). */
export const importedFormatNames: Record<ImportedFormat, string> = { 'keras-h5': 'Keras HDF5', keras: 'Keras 3 .keras', tfjs: 'TensorFlow.js layers model' };

/** Why a finished run ended, in a sentence. */
export function stoppedByText(run: Pick<RunSummary, 'status' | 'stoppedBy' | 'error'>): UserMessage {
  if (run.status === 'failed') return run.error ? { key: 'run.ended.failed', params: { error: run.error } } : { key: 'run.ended.failedUnknown' };
  if (run.status === 'imported') return { key: 'run.ended.imported' };
  switch (run.stoppedBy) {
    case 'epochs':
      return { key: 'run.ended.epochs' };
    case 'early-stopping':
      return { key: 'run.ended.earlyStopping' };
    case 'user':
      return { key: 'run.ended.user' };
    default:
      return runStatusText(run);
  }
}
