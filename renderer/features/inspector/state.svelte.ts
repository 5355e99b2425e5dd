import { createContext } from 'svelte';
import type { EpochPredictions, Evaluation, RunSummary } from '../../../shared/apiTypes';
import { builtInDatasetId, classCount, pixelsPerImage } from '../../../shared/mnist';
import { defaultRun } from '../../../shared/runs/defaultRun';
import { imagesInCell, mistakes, perClassMetrics } from '../../../shared/metrics/perClassMetrics';
import { digitStreak, epochShown, evaluationShown, type DigitStreak } from '../../../shared/metrics/epochHistory';
import type { LabClient } from '../../api/lab';
import { imageInPage, type ImagePageCache } from '../../api/imagePages.svelte';
import type { FeatureMaps } from '../../api/model/modelAnalysis';
import type { ModelWorker } from '../../api/model/modelWorker';
import { runCheckpoints } from '../../api/model/runCheckpoints';
import type { ProjectionWorker } from '../../api/projection/projectionWorker';
import type { ProjectableLayer } from '../../lib/projection/projectableLayer';
import { ProjectorState } from './projector.svelte';
import { TestImages, testPages } from './testImages.svelte';
import { describeError, userMessage, type UserMessage } from '../../lib/i18n/userMessage';

/** What the grid lists: one confusion-matrix cell, every mistake, or where two runs disagree. */
export type Listing =
  | { kind: 'cell'; actual: number; predicted: number }
  | { kind: 'mistakes' }
  | { kind: 'disagreements'; otherRunId: string }
  | { kind: 'all'; count: number }
  /** The digits a lasso took in the projector. */
  | { kind: 'selection'; indices: number[] };
export type MistakeOrder = 'confidence' | 'least-confident' | 'actual' | 'predicted';

/** One test image looked at closely: its probabilities (from eval.json) and what the model's worker computed. */
export interface Explanation {
  index: number;
  pixels: Uint8Array;
  actual: number;
  /** From eval.json, or from the checkpoint while the run has no evaluation yet (null until computed). */
  predicted: number | null;
  probabilities: Float32Array;
  saliency: Float32Array | null;
  featureMaps: FeatureMaps[];
}

const percent = (p: number) => `${Math.round(p * 100)}%`;

/**
 * The inspector's state: which run, its evaluation and what follows from it (the matrix, the
 * per-class figures, the mistakes), what the grid lists and how, and the image being explained.
 */
export class InspectorState {
  runs = $state.raw<RunSummary[]>([]);
  runId = $state<string | null>(null);
  evaluation = $state.raw<Evaluation | null>(null);
  other = $state.raw<Evaluation | null>(null);
  listing = $state.raw<Listing>({ kind: 'mistakes' });
  order = $state<MistakeOrder>('confidence');
  filterActual = $state<number | null>(null);
  filterPredicted = $state<number | null>(null);
  rates = $state(false);
  explanation = $state.raw<Explanation | null>(null);
  kernels = $state.raw<{ shape: [number, number, number]; values: Float32Array } | null>(null);
  modelState = $state<'none' | 'loading' | 'ready' | 'failed'>('none');
  error = $state.raw<UserMessage | null>(null);
  /** How the run read the test digits after each kept epoch; null when it kept none for these digits. */
  epochs = $state.raw<EpochPredictions | null>(null);
  /** The kept epoch shown (its row in `epochs`), or null for the checkpoint's evaluation. */
  epochRow = $state<number | null>(null);
  /** What the left column shows: the confusion matrix and figures, or the embedding projector. */
  panel = $state<'matrix' | 'projector'>('matrix');
  readonly projector: ProjectorState;
  private pages: ImagePageCache | null = null;

  readonly run = $derived(this.runs.find((r) => r.id === this.runId) ?? null);
  /** What the matrix, the figures and the grid show: the checkpoint's evaluation or the chosen epoch's predictions. */
  readonly shown = $derived.by(() => {
    const evaluation = this.evaluation;
    if (!evaluation) return null;
    return this.epochs && this.epochRow !== null ? epochShown(this.epochs, this.epochRow, evaluation.labels) : evaluationShown(evaluation);
  });
  /** The kept epoch row of the checkpoint (the best epoch, or the last kept one before it); 0 when unknown. */
  readonly checkpointRow = $derived(Math.max(0, this.epochs?.epochs.findLastIndex((e) => e <= (this.run?.bestEpoch ?? Infinity)) ?? 0));
  /** The kept epoch row the slider stands at: the chosen one, else the checkpoint's. */
  readonly shownRow = $derived(this.epochRow ?? this.checkpointRow);
  /** The epoch shown: the chosen one, else the checkpoint's (the best), when known. */
  readonly shownEpoch = $derived(this.epochs && this.epochRow !== null ? this.epochs.epochs[this.epochRow]! : (this.run?.bestEpoch ?? null));
  readonly classes = $derived(this.shown ? perClassMetrics(this.shown.confusion) : []);
  readonly correct = $derived(this.shown ? this.shown.confusion.reduce((sum, row, i) => sum + row[i]!, 0) : 0);
  /** Since when the explained digit has been read right or wrong, up to the epoch shown. */
  readonly streak = $derived.by((): DigitStreak | null => {
    const { epochs, explanation } = this;
    if (!epochs || !explanation || explanation.index >= epochs.count || epochs.epochs.length === 0) return null;
    return digitStreak(epochs, this.shownRow, explanation.index, explanation.actual);
  });
  readonly indices = $derived.by(() => this.listedIndices());
  readonly images = $derived.by(() => this.makeImages(this.indices));

  constructor(
    private readonly client: LabClient,
    private readonly worker: ModelWorker,
    projection: ProjectionWorker,
  ) {
    this.projector = new ProjectorState(client.api, worker, projection);
  }

  async start(runId: string | null): Promise<void> {
    try {
      this.runs = (await this.client.api.listRuns()).filter((r) => r.hasEvaluation || r.hasCheckpoint);
      const chosen = this.runs.find((r) => r.id === runId) ?? defaultRun(this.runs, (r) => r.hasEvaluation) ?? this.runs[0];
      if (chosen) await this.open(chosen.id);
    } catch (error) {
      this.error = describeError(error);
    }
  }

  /** Opens a run: its evaluation at once, its model in the worker meanwhile. */
  async open(runId: string): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    this.runId = runId;
    this.explanation = null;
    this.other = null;
    this.listing = { kind: 'mistakes' };
    this.pages = testPages(this.client.api, run?.datasetId ?? builtInDatasetId);
    this.evaluation = run?.hasEvaluation
      ? await this.client.api.getEvaluation({ runId }).catch((error: unknown) => ((this.error = describeError(error)), null))
      : null;
    this.epochs = null;
    this.epochRow = null;
    this.projector.setRun(null);
    // A run still training has no evaluation yet: browse the test digits with its best checkpoint instead.
    if (!this.evaluation) this.listing = { kind: 'all', count: await this.testCount(run?.datasetId ?? builtInDatasetId) };
    else void this.loadEpochs(runId, this.evaluation.count);
    void this.loadModel(runId);
  }

  /** Shows the `row`-th kept epoch, or the checkpoint's evaluation (null). */
  showEpoch(row: number | null): void {
    this.epochRow = row;
  }

  private async loadEpochs(runId: string, count: number): Promise<void> {
    const epochs = await this.client.api.getEpochPredictions({ runId }).catch((error: unknown) => ((this.error = describeError(error)), null));
    if (this.runId !== runId || !epochs) return;
    const [first] = epochs.damaged;
    if (first) this.error = userMessage('inspector.epochsDamaged', { count: epochs.damaged.length, file: first.file, detail: first.detail });
    // Epochs validated on other images (a held-out part of the training set) say nothing of these test digits.
    this.epochs = epochs.count === count && epochs.epochs.length > 0 ? epochs : null;
  }

  private async loadModel(runId: string): Promise<void> {
    this.modelState = 'loading';
    try {
      const loaded = await this.worker.load(await runCheckpoints(this.client.api, this.run ?? { id: runId, ensembleOf: null }));
      if (this.runId !== runId) return;
      this.kernels = loaded.kernels;
      this.modelState = 'ready';
      this.projectorRun(loaded.layers);
      // An image opened while the model loaded gets its saliency and feature maps now.
      if (this.explanation && !this.explanation.saliency) void this.explain(this.explanation.index);
    } catch (error) {
      this.modelState = 'failed';
      this.error = describeError(error, { key: 'error.modelUnloadable' });
      if (this.runId === runId) this.projectorRun(null);
    }
  }

  /** Hands the projector the run just loaded (layers null: its model did not load), and places its digits if it is open. */
  private projectorRun(layers: ProjectableLayer[] | null): void {
    const run = this.run;
    if (!run) return;
    const count = this.evaluation?.count ?? (this.listing.kind === 'all' ? this.listing.count : 0);
    this.projector.setRun({ runId: run.id, datasetId: run.datasetId, count, layers, isEnsemble: run.ensembleOf !== null });
    if (this.panel === 'projector') void this.projector.show();
  }

  /** Shows the matrix or the projector in the left column; the projector places the digits the first time. */
  showPanel(panel: 'matrix' | 'projector'): void {
    this.panel = panel;
    if (panel === 'projector' && this.projector.phase === 'idle') void this.projector.show();
  }

  /** The digits a lasso took, as the grid's listing. */
  showSelection(indices: number[]): void {
    this.listing = { kind: 'selection', indices };
  }

  private async testCount(datasetId: string): Promise<number> {
    const datasets = await this.client.api.listDatasets().catch(() => []);
    return datasets.find((d) => d.id === datasetId)?.test.count ?? 0;
  }

  private listedIndices(): number[] {
    const listing = this.listing;
    if (listing.kind === 'all') return Array.from({ length: listing.count }, (_, i) => i);
    if (listing.kind === 'selection') return listing.indices;
    const evaluation = this.evaluation;
    const shown = this.shown;
    if (!evaluation || !shown) return [];
    if (listing.kind === 'disagreements') return this.disagreements(evaluation);
    const { labels } = evaluation;
    const { predicted, confidence } = shown;
    const found =
      listing.kind === 'cell'
        ? imagesInCell(labels, predicted, listing.actual, listing.predicted).map((index) => ({
            index,
            actual: listing.actual,
            predicted: listing.predicted,
            confidence: confidence(index),
          }))
        : mistakes(labels, predicted, confidence).filter(
            (m) => (this.filterActual === null || m.actual === this.filterActual) && (this.filterPredicted === null || m.predicted === this.filterPredicted),
          );
    type Found = (typeof found)[number];
    const key = {
      confidence: (m: Found) => -m.confidence,
      'least-confident': (m: Found) => m.confidence,
      actual: (m: Found) => m.actual,
      predicted: (m: Found) => m.predicted,
    }[this.order];
    // Within a digit, the most confident first: the ones most worth a look.
    return found.sort((a, b) => key(a) - key(b) || b.confidence - a.confidence || a.index - b.index).map((m) => m.index);
  }

  /** Test images this run gets right and the other wrong, then the reverse. */
  private disagreements(evaluation: Evaluation): number[] {
    const other = this.other;
    if (!other) return [];
    const n = Math.min(evaluation.count, other.count);
    const right = (e: Evaluation, i: number) => e.labels[i] === e.predicted[i];
    const onlyThis = Array.from({ length: n }, (_, i) => i).filter((i) => right(evaluation, i) && !right(other, i));
    const onlyOther = Array.from({ length: n }, (_, i) => i).filter((i) => !right(evaluation, i) && right(other, i));
    return [...onlyThis, ...onlyOther];
  }

  private makeImages(indices: number[]): TestImages | null {
    const evaluation = this.evaluation;
    const shown = this.shown;
    if (!this.pages) return null;
    const caption =
      evaluation && shown ? (i: number) => `${evaluation.labels[i]}→${shown.predicted[i]} ${percent(shown.confidence(i))}` : (i: number) => `#${i}`;
    return new TestImages(this.pages, indices, caption, (message) => (this.error = message));
  }

  showCell(actual: number, predicted: number): void {
    this.listing = { kind: 'cell', actual, predicted };
  }

  showMistakes(): void {
    this.listing = { kind: 'mistakes' };
  }

  async compareWith(otherRunId: string): Promise<void> {
    this.other = await this.client.api.getEvaluation({ runId: otherRunId }).catch((error: unknown) => ((this.error = describeError(error)), null));
    if (this.other) this.listing = { kind: 'disagreements', otherRunId };
  }

  /** Explains one test image: probabilities at once when eval.json has them, saliency and feature maps when the worker has them. */
  async explain(index: number): Promise<void> {
    const evaluation = this.evaluation;
    const page = await this.pages?.load(index);
    const image = page ? imageInPage(page, index, pixelsPerImage) : null;
    if (!image) return;
    const predicted = evaluation ? evaluation.predicted[index]! : null;
    const probabilities = evaluation ? evaluation.probabilities.slice(index * classCount, (index + 1) * classCount) : new Float32Array(classCount);
    this.explanation = { index, pixels: image.pixels, actual: image.label, predicted, probabilities, saliency: null, featureMaps: [] };
    if (this.modelState !== 'ready') return;
    const explained = await this.worker.explain(image.pixels, predicted).catch((error: unknown) => ((this.error = describeError(error)), null));
    if (!explained || this.explanation?.index !== index) return;
    const fromModel = evaluation
      ? {}
      : { probabilities: explained.probabilities, predicted: explained.probabilities.indexOf(Math.max(...explained.probabilities)) };
    this.explanation = { ...this.explanation, ...fromModel, saliency: explained.saliency, featureMaps: explained.featureMaps };
  }
}

export const [getInspector, setInspector] = createContext<InspectorState>();
