import { createContext } from 'svelte';
import type { LabEvents } from '../../../shared/api';
import type { BatchPoint, DatasetSummary, ImagePage, RunSummary } from '../../../shared/apiTypes';
import { freshLessonProgress, lessonSteps, type LessonProgress, type LessonStep } from '../../../shared/lesson/lessonProgress';
import { findPreset } from '../../../shared/layers/presets';
import { builtInDatasetId } from '../../../shared/mnist';
import type { LabClient } from '../../api/lab';
import { describeError, userMessage, type UserMessage } from '../../lib/i18n/userMessage';
import type { RunCurves } from '../../lib/trainingCurves';

/** The two runs the lesson trains: the Dense-512 baseline (steps 6 and 7) and the CNN (step 9). */
export type LessonRunKind = 'baseline' | 'cnn';
/** The chapter's whole recipe, or a short run to see the curves move (a tenth of the images, a few epochs). */
export type LessonRunSize = 'full' | 'quick';

export const lessonPresets: Record<LessonRunKind, string> = { baseline: 'seed-mlp', cnn: 'seed-cnn' };
const quickRun = { trainLimit: 6000, epochs: { baseline: 3, cnn: 2 } } as const;

/** A run the lesson can use for a kind: one of its preset's that finished and was evaluated. */
export function lessonCandidate(run: RunSummary, kind: LessonRunKind): boolean {
  return run.presetId === lessonPresets[kind] && run.hasEvaluation && run.testAccuracy !== null;
}

const sampleSize = 8;

const runField = { baseline: 'baselineRunId', cnn: 'cnnRunId' } as const;

/**
 * The lesson's state: the step shown and those opened (saved in the data folder, so the lesson resumes where it was
 * left), and the runs it trains, with their curves as they arrive.
 */
export class LessonState {
  progress = $state.raw<LessonProgress>(freshLessonProgress);
  loaded = $state(false);
  /** Why a stored progress file could not be used, when the lesson started afresh because of it. */
  reset = $state.raw<UserMessage | null>(null);
  error = $state.raw<UserMessage | null>(null);
  runs = $state.raw<RunSummary[]>([]);
  curves = $state.raw<Record<string, RunCurves>>({});
  /** The first training digits, which the early steps look at. */
  sample = $state.raw<ImagePage | null>(null);
  mnist = $state.raw<DatasetSummary | null>(null);

  readonly index = $derived(lessonSteps.indexOf(this.progress.step));
  readonly runOf = $derived({
    baseline: this.runs.find((r) => r.id === this.progress.baselineRunId) ?? null,
    cnn: this.runs.find((r) => r.id === this.progress.cnnRunId) ?? null,
  });

  /** Whether the learner has moved (or trained) since the view opened. */
  private moved = false;

  constructor(private readonly client: LabClient) {}

  /** Loads the progress and the runs, and follows the lesson's runs as they train. Returns the unsubscriber. */
  async start(): Promise<() => void> {
    const offs = [
      this.client.on('runs:changed', (runs) => (this.runs = runs)),
      this.client.on('train:batch', (b) =>
        this.extend(b.runId, { batches: [{ epoch: b.epoch, batch: b.batch, batchesPerEpoch: b.batchesPerEpoch, loss: b.loss, accuracy: b.accuracy }] }),
      ),
      this.client.on('train:epoch', (e) => this.addEpoch(e)),
    ];
    try {
      const [reply, runs, sample, datasets] = await Promise.all([
        this.client.api.getLessonProgress(),
        this.client.api.listRuns(),
        this.client.api.getImagePage({ datasetId: builtInDatasetId, split: 'train', label: null, offset: 0, count: sampleSize }),
        this.client.api.listDatasets(),
      ]);
      this.runs = runs;
      this.sample = sample;
      this.mnist = datasets.find((d) => d.id === builtInDatasetId) ?? null;
      // A step chosen while the progress was loading wins over the stored one.
      if (!this.moved) this.progress = reply.progress;
      if (reply.reset) this.reset = userMessage('lesson.reset', { reason: reply.reset.reason, keptAs: reply.reset.keptAs });
      await Promise.all([this.progress.baselineRunId, this.progress.cnnRunId].map((id) => id && this.loadCurves(id)));
    } catch (error) {
      this.error = describeError(error);
    }
    this.loaded = true;
    return () => offs.forEach((off) => off());
  }

  go(step: LessonStep): void {
    const visited = this.progress.visited.includes(step) ? this.progress.visited : [...this.progress.visited, step];
    this.save({ ...this.progress, step, visited });
  }

  next(): void {
    const step = lessonSteps[this.index + 1];
    if (step) this.go(step);
  }

  previous(): void {
    const step = lessonSteps[this.index - 1];
    if (step) this.go(step);
  }

  /** Starts the lesson's run of a kind: the preset's recipe, whole or quick. */
  async train(kind: LessonRunKind, size: LessonRunSize, name: string): Promise<void> {
    const preset = findPreset(lessonPresets[kind])!;
    const settings = size === 'full' ? preset.settings : { ...preset.settings, trainLimit: quickRun.trainLimit, epochs: quickRun.epochs[kind] };
    this.error = null;
    try {
      const { runId } = await this.client.api.startTraining({
        name,
        datasetId: builtInDatasetId,
        presetId: preset.id,
        layers: preset.layers,
        settings,
        backend: 'auto',
      });
      this.curves = { ...this.curves, [runId]: this.curves[runId] ?? { batches: [], epochs: [] } };
      this.save({ ...this.progress, [runField[kind]]: runId });
    } catch (error) {
      this.error = describeError(error);
    }
  }

  /** Uses a run already in the history for a kind. */
  async use(kind: LessonRunKind, runId: string): Promise<void> {
    this.save({ ...this.progress, [runField[kind]]: runId });
    await this.loadCurves(runId);
  }

  private async loadCurves(runId: string): Promise<void> {
    try {
      const detail = await this.client.api.getRun({ runId });
      this.curves = { ...this.curves, [runId]: { batches: detail.batches, epochs: detail.epochs } };
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private extend(runId: string, more: { batches: BatchPoint[] }): void {
    const curve = this.curves[runId];
    if (!curve) return;
    this.curves = { ...this.curves, [runId]: { ...curve, batches: [...curve.batches, ...more.batches] } };
  }

  private addEpoch(event: LabEvents['train:epoch']): void {
    const curve = this.curves[event.runId];
    if (!curve || curve.epochs.some((e) => e.epoch === event.epoch)) return;
    const { runId: _, ...epoch } = event;
    this.curves = { ...this.curves, [event.runId]: { ...curve, epochs: [...curve.epochs, epoch] } };
  }

  private save(progress: LessonProgress): void {
    this.moved = true;
    this.progress = progress;
    void this.client.api.saveLessonProgress(progress).catch((error: unknown) => (this.error = describeError(error)));
  }
}

export const [getLesson, setLesson] = createContext<LessonState>();
