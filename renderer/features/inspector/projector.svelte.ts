import type { LabApi } from '../../../shared/api';
import { maxPageSize } from '../../../shared/apiTypes';
import { pixelsPerImage } from '../../../shared/mnist';
import type { ModelWorker } from '../../api/model/modelWorker';
import type { ProjectionWorker } from '../../api/projection/projectionWorker';
import { describeError, userMessage, type UserMessage } from '../../lib/i18n/userMessage';
import { defaultProjectedLayer, maxProjectedFeatures, type ProjectableLayer } from '../../lib/projection/projectableLayer';

export type ProjectionMethod = 'pca' | 'umap';
/** What the projector is doing: waiting to be opened, reading the digits, running them through the model, placing them. */
export type ProjectorPhase = 'idle' | 'images' | 'activations' | 'projecting' | 'ready' | 'failed';

/** Digits run through the model per request, so the progress moves and the worker's memory stays small. */
const activationChunk = 1000;

/** What the projector needs of the run: its test digits' dataset, how many it was evaluated on, and its model's layers. */
export interface ProjectedRun {
  runId: string;
  datasetId: string;
  count: number;
  /** null: the run's model did not load (or it has no checkpoint); an ensemble's list is empty. */
  layers: ProjectableLayer[] | null;
  isEnsemble: boolean;
}

/**
 * The inspector's embedding projector: the chosen layer's outputs for every test digit the run
 * was evaluated on, placed in 2-D by PCA (at once) or UMAP (seeded, with progress), for the
 * canvas to draw. Work for a run or layer no longer shown is dropped when it comes back.
 */
export class ProjectorState {
  run = $state.raw<ProjectedRun | null>(null);
  layerName = $state<string | null>(null);
  method = $state<ProjectionMethod>('pca');
  seed = $state(1);
  phase = $state<ProjectorPhase>('idle');
  /** 0–1 through the current phase. */
  progress = $state(0);
  /** count × 2 in the unit square, point i being test digit i. */
  points = $state.raw<Float32Array | null>(null);
  /** The digits themselves (count × 784) and their labels, for the tooltip and the colours. */
  pixels = $state.raw<Uint8Array | null>(null);
  labels = $state.raw<Uint8Array | null>(null);
  error = $state.raw<UserMessage | null>(null);
  private activations: { layerName: string; values: Float32Array; features: number } | null = null;
  private generation = 0;

  readonly layers = $derived(this.run?.layers ?? []);

  constructor(
    private readonly api: LabApi,
    private readonly model: ModelWorker,
    private readonly projection: ProjectionWorker,
  ) {}

  /** A run was opened (its model loading or loaded): everything of the last one is dropped. */
  setRun(run: ProjectedRun | null): void {
    this.generation++;
    const sameDigits = this.run && run && this.run.datasetId === run.datasetId && this.run.count === run.count;
    if (!sameDigits) {
      this.pixels = null;
      this.labels = null;
    }
    this.run = run;
    this.layerName = run?.layers ? (defaultProjectedLayer(run.layers)?.name ?? null) : null;
    this.activations = null;
    this.points = null;
    this.error = null;
    this.phase = 'idle';
  }

  chooseLayer(name: string): Promise<void> {
    this.layerName = name;
    return this.show();
  }

  chooseMethod(method: ProjectionMethod): Promise<void> {
    this.method = method;
    return this.show();
  }

  /** Places the digits by the chosen layer and method; says why when it cannot. */
  async show(): Promise<void> {
    if (!this.run) return; // its model is still loading: shown when it has loaded
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    const problem = this.problem();
    if (problem) return this.fail(problem);
    const run = this.run!;
    const layer = this.layers.find((l) => l.name === this.layerName)!;
    this.error = null;
    this.points = null;
    try {
      if (!this.pixels) await this.readDigits(run, current);
      if (!current()) return;
      if (this.activations?.layerName !== layer.name) await this.computeActivations(layer, current);
      if (!current() || !this.activations) return;
      this.phase = 'projecting';
      this.progress = 0;
      const { values, features } = this.activations;
      const points = await this.projection.project({ type: this.method, values, count: run.count, features, seed: this.seed }, (epoch, epochs) => {
        if (current()) this.progress = epoch / epochs;
      });
      if (!current()) return;
      this.points = points;
      this.phase = 'ready';
    } catch (error) {
      if (current()) this.fail(describeError(error));
    }
  }

  /** Why the projector cannot place this run's digits by the chosen layer, or null. */
  private problem(): UserMessage | null {
    const run = this.run!;
    if (run.isEnsemble) return userMessage('projector.ensemble');
    if (!run.layers) return userMessage('projector.noModel');
    if (run.count === 0) return userMessage('projector.noDigits');
    const layer = this.layers.find((l) => l.name === this.layerName);
    if (!layer) return userMessage('projector.noLayer', { name: this.layerName ?? '—' });
    if (layer.features > maxProjectedFeatures)
      return userMessage('projector.tooLarge', { name: layer.name, features: layer.features, max: maxProjectedFeatures });
    return null;
  }

  private fail(message: UserMessage): void {
    this.error = message;
    this.phase = 'failed';
  }

  /** The first `count` test digits, a page at a time. */
  private async readDigits(run: ProjectedRun, current: () => boolean): Promise<void> {
    this.phase = 'images';
    const pixels = new Uint8Array(run.count * pixelsPerImage);
    const labels = new Uint8Array(run.count);
    for (let offset = 0; offset < run.count; offset += maxPageSize) {
      this.progress = offset / run.count;
      const count = Math.min(maxPageSize, run.count - offset);
      const page = await this.api.getImagePage({ datasetId: run.datasetId, split: 'test', label: null, offset, count });
      if (!current()) return;
      pixels.set(page.pixels, offset * pixelsPerImage);
      labels.set(page.labels, offset);
    }
    this.pixels = pixels;
    this.labels = labels;
  }

  private async computeActivations(layer: ProjectableLayer, current: () => boolean): Promise<void> {
    const pixels = this.pixels!;
    const count = pixels.length / pixelsPerImage;
    this.phase = 'activations';
    const values = new Float32Array(count * layer.features);
    for (let start = 0; start < count; start += activationChunk) {
      this.progress = start / count;
      const end = Math.min(count, start + activationChunk);
      const chunk = await this.model.activations(layer.name, pixels.slice(start * pixelsPerImage, end * pixelsPerImage));
      if (!current()) return;
      values.set(chunk, start * layer.features);
    }
    this.activations = { layerName: layer.name, values, features: layer.features };
  }
}
