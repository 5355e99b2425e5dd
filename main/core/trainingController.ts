import { ApiError } from '../../shared/apiError';
import type { EventSink } from '../../shared/api';
import type { BackendChoice, RunSpec, TrainingStatus } from '../../shared/apiTypes';
import { analyzeStack } from '../../shared/layers/inferShapes';
import type { WorkerMessage } from '../worker/workerMessages';
import type { DatasetStore } from './datasets/datasetStore';
import type { RunStore } from './runs/runStore';
import type { WorkerHost } from './workerHost';

interface ActiveRun {
  runId: string;
  name: string;
  stopping: boolean;
  stop: () => void;
}

/**
 * The lifecycle of a training run: validate, create it in the run store, start a worker, turn
 * worker messages into API events and stored files, and record how it ended. One run at a time.
 */
export class TrainingController {
  private active: ActiveRun | null = null;
  /** Resolves when the last run's worker process is gone and everything is written. */
  private lastEnded: Promise<void> = Promise.resolve();

  constructor(
    private readonly datasets: DatasetStore,
    private readonly runs: RunStore,
    private readonly host: WorkerHost,
    private readonly emit: EventSink,
    private readonly resolveBackend: (choice: BackendChoice) => BackendChoice,
  ) {}

  status(): TrainingStatus {
    return this.active ? { state: 'running', runId: this.active.runId, stopping: this.active.stopping } : { state: 'idle' };
  }

  isTraining(runId: string): boolean {
    return this.active?.runId === runId;
  }

  /** Resolves when the last run has ended, been recorded, and its worker process is gone. */
  async whenIdle(): Promise<void> {
    await this.lastEnded;
  }

  async start(spec: RunSpec): Promise<{ runId: string }> {
    const analysis = analyzeStack(spec.layers);
    if (!analysis.ok) throw new ApiError('invalid-request', `the model cannot be built: ${analysis.problems.map((p) => p.message).join('; ')}`);
    this.assertIdle();
    const dataset = await this.datasets.summary(spec.datasetId);
    if (dataset.rows !== 28 || dataset.columns !== 28) throw new ApiError('invalid-request', `dataset ${dataset.name} is not 28×28`);
    const files = await this.datasets.files(spec.datasetId);
    // Checked again: another start may have claimed the slot while the dataset was read.
    this.assertIdle();
    const slot: ActiveRun = { runId: '', name: spec.name, stopping: false, stop: () => undefined };
    this.active = slot;
    try {
      const summary = await this.runs.create(spec);
      slot.runId = summary.id;
    } catch (error) {
      this.active = null;
      throw error;
    }
    const runId = slot.runId;
    let endRun!: () => void;
    this.lastEnded = new Promise((resolve) => (endRun = resolve));
    let queue = Promise.resolve();
    const handle = (message: WorkerMessage) => {
      queue = queue.then(() => this.onWorkerMessage(runId, message)).catch((error: Error) => this.fail(runId, `could not record the run: ${error.message}`));
    };
    const worker = this.host.train({
      message: {
        type: 'train',
        runId,
        modelDir: this.runs.modelDir(runId),
        spec: { ...spec, backend: this.resolveBackend(spec.backend) },
        files,
      },
      onMessage: handle,
      onEnd: (unexpected) => {
        queue = queue
          .then(async () => {
            if (unexpected) await this.fail(runId, unexpected);
          })
          .finally(() => {
            this.release(runId);
            endRun();
          });
      },
    });
    slot.stop = worker.stop;
    this.emit('runs:changed', await this.runs.list());
    return { runId };
  }

  /** The run is over for the user (done or failed) even if its process is still exiting. */
  private release(runId: string): void {
    if (this.active?.runId === runId) this.active = null;
  }

  private assertIdle(): void {
    if (this.active) throw new ApiError('conflict', `"${this.active.name}" is training; stop it before starting another run`);
  }

  stop(): TrainingStatus {
    if (this.active) {
      this.active.stopping = true;
      this.active.stop();
    }
    return this.status();
  }

  private async onWorkerMessage(runId: string, message: WorkerMessage): Promise<void> {
    switch (message.type) {
      case 'backend':
        await this.runs.update(runId, (s) => ({ ...s, backend: message.report.active }));
        return;
      case 'phase':
        this.emit('train:phase', { runId, phase: message.phase });
        return;
      case 'started': {
        const { type: _type, ...started } = message;
        this.emit('train:started', { runId, ...started });
        return;
      }
      case 'batch': {
        const { type: _type, ...batch } = message;
        this.emit('train:batch', { runId, ...batch });
        return;
      }
      case 'epoch':
        await this.runs.appendEpoch(runId, message.metrics);
        if (message.metrics.isBest) await this.runs.update(runId, (s) => ({ ...s, bestEpoch: message.metrics.epoch }));
        this.emit('train:epoch', { runId, ...message.metrics });
        return;
      case 'done':
        await this.runs.writeEvaluation(runId, message.testLoss, message.testAccuracy, message.labels, message.probabilities);
        await this.runs.update(runId, (s) => ({
          ...s,
          status: message.stoppedBy === 'user' ? 'stopped' : 'completed',
          pid: null,
          bestEpoch: message.bestEpoch,
          testAccuracy: message.testAccuracy,
          testLoss: message.testLoss,
          stoppedBy: message.stoppedBy,
        }));
        this.release(runId);
        this.emit('train:done', {
          runId,
          testLoss: message.testLoss,
          testAccuracy: message.testAccuracy,
          bestEpoch: message.bestEpoch,
          stoppedBy: message.stoppedBy,
          seconds: message.seconds,
        });
        this.emit('runs:changed', await this.runs.list());
        return;
      case 'error':
        await this.fail(runId, message.message);
        return;
    }
  }

  private async fail(runId: string, message: string): Promise<void> {
    await this.runs.update(runId, (s) => ({ ...s, status: 'failed', pid: null, error: message }));
    this.release(runId);
    this.emit('train:error', { runId, message });
    this.emit('runs:changed', await this.runs.list());
  }
}
