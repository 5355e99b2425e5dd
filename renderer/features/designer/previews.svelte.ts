import { createContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { LabApi } from '../../../shared/api';
import type { RunSummary } from '../../../shared/apiTypes';
import type { LayerStack } from '../../../shared/layers/layerSpec';
import { builtInDatasetId } from '../../../shared/mnist';
import type { LayerOutput } from '../../api/model/layerPreviews';
import { PreviewWorker } from '../../api/model/previewWorker';
import { previewDigit, previewInput, type PreviewDigit } from '../../api/previewDigit.svelte';
import { describeError, type UserMessage } from '../../lib/i18n/userMessage';

interface Request {
  layers: LayerStack;
  seed: number;
  /** Counts requests, so the page (and the bench) can tell which design the previews show. */
  number: number;
}

/** A finished run whose layers are exactly the design's: its weights can stand in for the fresh ones. */
export interface WeightsRun {
  id: string;
  name: string;
  testAccuracy: number | null;
}

const sameLayers = (a: LayerStack, b: LayerStack) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The designer's layer previews: a digit, the weights' source (the seeded fresh initialisation,
 * or a run whose layers match the design), and every layer's output for them, computed in a Web
 * Worker. A burst of edits keeps only the newest request: one is in flight at a time, and the
 * next waits in `pending`, replaced by every newer one; a reply for an older design is dropped.
 */
export class LayerPreviewState {
  digit = $state.raw<PreviewDigit | null>(null);
  readonly outputs = new SvelteMap<number, LayerOutput>();
  /** The request the outputs answer, and the newest one asked. */
  shownRequest = $state(0);
  latestRequest = $state(0);
  error = $state.raw<UserMessage | null>(null);
  backend = $state<string | null>(null);
  /** The run whose weights the previews use; null: the fresh, seeded initialisation. */
  weightsRunId = $state<string | null>(null);
  matchingRuns = $state.raw<WeightsRun[]>([]);
  /** The feature-map pixel under the pointer, whose receptive field the digit outlines. */
  hovered = $state<{ index: number; row: number; column: number } | null>(null);
  private worker: PreviewWorker | null = null;
  private inFlight = false;
  private pending: Request | null = null;
  private layers: LayerStack = [];
  private seed = 0;
  private valid = false;
  // The layers of every finished run with a checkpoint, read once each.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly runLayers = new Map<string, { summary: RunSummary; layers: LayerStack | null }>();

  constructor(private readonly api: LabApi) {}

  /** Starts the worker and shows a digit: the one another view sent, else test digit 0. */
  async start(): Promise<void> {
    this.worker = new PreviewWorker();
    void this.worker.backend.then((backend) => (this.backend = backend));
    if (previewDigit.digit) this.useDigit(previewDigit.digit);
    else await this.showTestDigit(0);
    await this.findMatchingRuns();
  }

  /** Test digit `index` (wrapping around the split). */
  async showTestDigit(index: number): Promise<void> {
    try {
      const first = await this.api.getImagePage({ datasetId: builtInDatasetId, split: 'test', label: null, offset: 0, count: 1 });
      const at = ((index % first.total) + first.total) % first.total;
      const page = at === 0 ? first : await this.api.getImagePage({ datasetId: builtInDatasetId, split: 'test', label: null, offset: at, count: 1 });
      this.useDigit({ source: 'test', index: at, label: page.labels[0]!, pixels: page.pixels.slice(0, 784) });
    } catch (error) {
      this.error = describeError(error, { key: 'error.digitUnreadable' });
    }
  }

  useDigit(digit: PreviewDigit): void {
    this.digit = digit;
    previewDigit.choose(digit);
    this.rerun();
  }

  /** Asks for the previews of a design (every edit calls this). */
  request(layers: LayerStack, seed: number, valid: boolean): void {
    this.layers = layers;
    this.seed = seed;
    this.valid = valid;
    this.latestRequest++;
    this.dropUnmatchedWeights();
    if (!valid) {
      // The cards show the designer's own error; nothing is computed for a stack that cannot be built.
      this.pending = null;
      this.outputs.clear();
      this.shownRequest = this.latestRequest;
      return;
    }
    this.pending = { layers, seed, number: this.latestRequest };
    void this.pump();
  }

  /** Uses a matching run's best checkpoint as the weights, or the fresh initialisation (null). */
  async useWeights(runId: string | null): Promise<void> {
    if (!this.worker) return;
    try {
      const checkpoint = runId ? await this.api.getCheckpoint({ runId }) : null;
      await this.worker.useWeights(runId, checkpoint);
      this.weightsRunId = runId;
      this.error = null;
    } catch (error) {
      this.error = describeError(error, { key: 'error.weightsUnloadable' });
      this.weightsRunId = null;
    }
    this.rerun();
  }

  /** A Conv2D layer's kernel (one filter, one input channel) with the weights the previews use. */
  async kernel(index: number, filter: number, channel: number): Promise<{ kernel: Float32Array; bias: number } | null> {
    const reply = await this.worker?.kernel(index, filter, channel);
    return reply?.kernel ? { kernel: reply.kernel, bias: reply.bias } : null;
  }

  /** Lists the finished runs whose layers are the design's (reading each run's spec once). */
  async findMatchingRuns(): Promise<void> {
    try {
      const runs = (await this.api.listRuns()).filter((run) => run.hasCheckpoint && run.status !== 'running');
      for (const run of runs) {
        if (this.runLayers.has(run.id)) continue;
        const detail = await this.api.getRun({ runId: run.id }).catch(() => null);
        this.runLayers.set(run.id, { summary: run, layers: detail?.spec?.layers ?? null });
      }
    } catch {
      // Without the run list the previews still work with fresh weights.
    }
    this.dropUnmatchedWeights();
  }

  dispose(): void {
    this.worker?.dispose();
    this.worker = null;
  }

  /** The same design again, after the digit or the weights changed. */
  private rerun(): void {
    if (this.layers.length > 0) this.request(this.layers, this.seed, this.valid);
  }

  /** Offers only runs whose layers match the design; a source that stopped matching falls back to the fresh weights. */
  private dropUnmatchedWeights(): void {
    this.matchingRuns = [...this.runLayers.values()]
      .filter((run) => run.layers && sameLayers(run.layers, this.layers))
      .map(({ summary }) => ({ id: summary.id, name: summary.name, testAccuracy: summary.testAccuracy }));
    if (this.weightsRunId && !this.matchingRuns.some((run) => run.id === this.weightsRunId)) {
      this.weightsRunId = null;
      void this.worker?.useWeights(null, null);
    }
  }

  private async pump(): Promise<void> {
    if (this.inFlight || !this.pending || !this.worker || !this.digit) return;
    const request = this.pending;
    this.pending = null;
    this.inFlight = true;
    try {
      const reply = await this.worker.outputs(request.layers, request.seed, previewInput(this.digit), this.weightsRunId !== null);
      // A newer design is waiting: these outputs are stale and never shown.
      if (!this.pending) {
        this.outputs.clear();
        for (const output of reply.outputs) this.outputs.set(output.index, output);
        this.shownRequest = request.number;
        this.error = null;
      }
    } catch (error) {
      if (!this.pending) {
        this.outputs.clear();
        this.shownRequest = request.number;
        this.error = describeError(error);
      }
    } finally {
      this.inFlight = false;
      void this.pump();
    }
  }
}

export const [getPreviews, setPreviews] = createContext<LayerPreviewState>();
