import type { EventSink } from '../../shared/api';
import type { BackendChoice, RunSpec, TrainingStatus } from '../../shared/apiTypes';
import { analyzeStack, describeProblem } from '../../shared/layers/inferShapes';
import { modelTooLarge } from '../../shared/layers/modelFootprint';
import { isMnistSized } from '../../shared/mnist';
import { verifyCheckpoint } from '../common/checkpointFiles';
import type { DatasetFiles } from '../common/idx/loadIdxDataset';
import type { WorkerMessage } from '../common/workerMessages';
import type { DatasetStore } from './datasets/datasetStore';
import { heartbeatIntervalMs, type RunStore } from './runs/runStore';
import type { WorkerHost } from './workerHost';
import { errorMessage } from '../../shared/errorMessage';
import { apiFailure } from '../../shared/apiErrorReasons';

interface ActiveRun {
  runId: string;
  name: string;
  stopping: boolean;
  stop: () => void;
}

/** Refuses a spec that cannot be trained, before anything is created or started. */
function assertTrainable(spec: RunSpec): void {
  const analysis = analyzeStack(spec.layers);
  if (!analysis.ok) throw apiFailure('invalid-request', 'model.unbuildable', { problems: analysis.problems.map(describeProblem).join('; ') });
  const tooLarge = modelTooLarge(analysis.layers, analysis.totalParams, spec.settings.batchSize);
  if (tooLarge) throw apiFailure('invalid-request', 'model.tooLarge', { detail: tooLarge });
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
    assertTrainable(spec);
    this.assertIdle();
    const dataset = await this.datasets.summary(spec.datasetId);
    if (!isMnistSized(dataset.rows, dataset.columns)) throw apiFailure('invalid-request', 'training.notMnistSized', { name: dataset.name });
    const files = await this.datasets.files(spec.datasetId);
    // Checked again: another start may have claimed the slot while the dataset was read.
    this.assertIdle();
    const slot: ActiveRun = { runId: '', name: spec.name, stopping: false, stop: () => undefined };
    this.active = slot;
    try {
      slot.runId = (await this.runs.create(spec)).id;
    } catch (error) {
      this.active = null;
      throw error;
    }
    slot.stop = this.launch(slot.runId, { ...spec, backend: this.resolveBackend(spec.backend) }, files);
    this.emit('runs:changed', await this.runs.list());
    return { runId: slot.runId };
  }

  /** Starts the run's worker; returns the function that asks it to stop after its batch. */
  private launch(runId: string, spec: RunSpec, files: DatasetFiles): () => void {
    let endRun!: () => void;
    this.lastEnded = new Promise((resolve) => (endRun = resolve));
    const heartbeat = setInterval(() => void this.runs.beat(runId), heartbeatIntervalMs);
    heartbeat.unref();
    let queue = Promise.resolve();
    const worker = this.host.train({
      message: { type: 'train', runId, modelDir: this.runs.modelDir(runId), spec, files },
      onMessage: (message) => {
        queue = queue
          .then(() => this.onWorkerMessage(runId, message))
          .catch((error: unknown) => this.fail(runId, `could not record the run: ${errorMessage(error)}`));
      },
      onEnd: (unexpected) => {
        queue = queue
          .then(() => (unexpected ? this.endUnexpectedly(runId, unexpected, spec, files) : undefined))
          .catch((error: unknown) => this.fail(runId, `could not record the run: ${errorMessage(error)}`))
          .finally(() => {
            clearInterval(heartbeat);
            this.release(runId);
            endRun();
          });
      },
    });
    return worker.stop;
  }

  /** The run is over for the user (done or failed) even if its process is still exiting. */
  private release(runId: string): void {
    if (this.active?.runId === runId) this.active = null;
  }

  private assertIdle(): void {
    if (this.active) throw apiFailure('conflict', 'training.busy', { name: this.active.name });
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
        const { epoch, batch: number, batchesPerEpoch, loss, accuracy } = batch;
        await this.runs.appendBatch(runId, { epoch, batch: number, batchesPerEpoch, loss, accuracy });
        return;
      }
      case 'epoch':
        await this.runs.appendEpoch(runId, message.metrics);
        if (message.metrics.isBest) await this.runs.update(runId, (s) => ({ ...s, bestEpoch: message.metrics.epoch }));
        if (message.predictions) await this.runs.writeEpochPredictions(runId, message.metrics.epoch, message.predictions);
        this.emit('train:epoch', { runId, ...message.metrics });
        return;
      case 'done':
        return this.finish(runId, message);
      case 'error':
        return this.fail(runId, message.message);
      case 'evaluation':
      case 'predictions':
      case 'bench':
        return;
    }
  }

  private async finish(runId: string, done: Extract<WorkerMessage, { type: 'done' }>): Promise<void> {
    await this.runs.writeEvaluation(runId, done.testLoss, done.testAccuracy, done.labels, done.probabilities);
    await this.runs.update(runId, (s) => ({
      ...s,
      status: done.stoppedBy === 'user' ? 'stopped' : 'completed',
      pid: null,
      endedAt: new Date().toISOString(),
      bestEpoch: done.bestEpoch,
      testAccuracy: done.testAccuracy,
      testLoss: done.testLoss,
      stoppedBy: done.stoppedBy,
    }));
    this.release(runId);
    const { testLoss, testAccuracy, bestEpoch, stoppedBy, seconds } = done;
    this.emit('train:done', { runId, testLoss, testAccuracy, bestEpoch, stoppedBy, seconds });
    this.emit('runs:changed', await this.runs.list());
  }

  /**
   * The worker died without a word (killed, crashed, out of memory). The run failed, but a best
   * checkpoint it saved is still evaluated in a fresh worker, so its epochs are not lost.
   */
  private async endUnexpectedly(runId: string, reason: string, spec: RunSpec, files: DatasetFiles): Promise<void> {
    const modelDir = this.runs.modelDir(runId);
    if (
      !(await verifyCheckpoint(modelDir).then(
        () => true,
        () => false,
      ))
    )
      return this.fail(runId, reason);
    this.emit('train:phase', { runId, phase: 'evaluating' });
    try {
      const result = await this.host.evaluate({ type: 'evaluate', backend: spec.backend, modelDir, files, testLimit: spec.settings.testLimit });
      await this.runs.writeEvaluation(runId, result.testLoss, result.testAccuracy, result.labels, result.probabilities);
      await this.runs.update(runId, (s) => ({ ...s, testAccuracy: result.testAccuracy, testLoss: result.testLoss }));
      await this.fail(runId, `${reason}; its best checkpoint was evaluated: test accuracy ${(result.testAccuracy * 100).toFixed(2)} %`);
    } catch (error) {
      await this.fail(runId, `${reason}; its best checkpoint could not be evaluated: ${errorMessage(error)}`);
    }
  }

  /** Marks the run failed and says so; never rejects, as it is the last handler of a run's queue. */
  private async fail(runId: string, message: string): Promise<void> {
    this.release(runId);
    const marked = await this.runs
      .update(runId, (s) => ({ ...s, status: 'failed', pid: null, error: message, endedAt: new Date().toISOString() }))
      .then(
        () => true,
        // The run's folder is gone (its data folder was deleted while it ran): nothing is left to mark.
        () => false,
      );
    this.emit('train:error', { runId, message });
    const runs = marked ? await this.runs.list().catch(() => null) : null;
    if (runs) this.emit('runs:changed', runs);
  }
}
