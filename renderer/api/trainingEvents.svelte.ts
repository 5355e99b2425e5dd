import type { TrainBatchEvent, TrainingStatus, TrainStartedEvent } from '../../shared/apiTypes';
import type { LabEvents } from '../../shared/api';
import type { LabClient } from './lab';

/** What one run's events say now (its curves are kept by the dashboard, restored from the server). */
export interface RunProgress {
  runId: string;
  started: TrainStartedEvent | null;
  phase: LabEvents['train:phase']['phase'] | null;
  lastBatch: TrainBatchEvent | null;
}

const emptyProgress = (runId: string): RunProgress => ({ runId, started: null, phase: null, lastBatch: null });

/**
 * The training events of this session, one store for every view: which run trains, and each
 * run's progress as it arrives. Subscribed once, when the app starts.
 */
export class TrainingEvents {
  status = $state.raw<TrainingStatus>({ state: 'idle' });
  /** Runs this session has seen, by id. */
  runs = $state.raw<Record<string, RunProgress>>({});

  constructor(private readonly client: LabClient) {
    const update = (runId: string, change: Partial<RunProgress>) => {
      this.runs = { ...this.runs, [runId]: { ...(this.runs[runId] ?? emptyProgress(runId)), ...change } };
    };
    client.on('train:started', (started) => update(started.runId, { started }));
    client.on('train:phase', ({ runId, phase }) => update(runId, { phase }));
    client.on('train:batch', (batch) => update(batch.runId, { lastBatch: batch }));
    client.on('train:done', () => void this.refresh());
    client.on('train:error', () => void this.refresh());
    client.on('runs:changed', () => void this.refresh());
  }

  /** Asks the server whether a run trains now (at start, and after a run ends or the list changes). */
  async refresh(): Promise<void> {
    try {
      this.status = await this.client.api.getTrainingStatus();
    } catch {
      // The connection banner says why; the status stays as it was.
    }
  }
}
