import { createContext, tick } from 'svelte';
import type { RunSummary } from '../../../shared/apiTypes';
import { defaultRun } from '../../../shared/runs/defaultRun';
import { findPreset } from '../../../shared/layers/presets';
import { inkFromImage } from '../../../shared/sketch/inkFromImage';
import { preprocessDigit } from '../../../shared/sketch/preprocessDigit';
import type { LabClient } from '../../api/lab';
import type { ModelWorker } from '../../api/model/modelWorker';
import { runCheckpoints } from '../../api/model/runCheckpoints';
import { recentSketches } from '../../api/recentSketches';
import { sketchSide, type Stroke } from './strokes';
import { builtInDatasetId } from '../../../shared/mnist';
import { describeError, type UserMessage } from '../../lib/i18n/userMessage';

/**
 * The sketchpad's state: the strokes, the 28 × 28 image the model sees, and what the chosen
 * run's model (in a Web Worker) reads in it.
 */
export class SketchpadState {
  runs = $state.raw<RunSummary[]>([]);
  runId = $state<string | null>(null);
  modelState = $state<'none' | 'loading' | 'ready' | 'failed'>('none');
  strokes = $state.raw<Stroke[]>([]);
  /** The 784 values 0–1 the model reads; null for an empty sketch. */
  input = $state.raw<Float32Array | null>(null);
  probabilities = $state.raw<Float32Array | null>(null);
  source = $state<string | null>(null);
  error = $state.raw<UserMessage | null>(null);
  private predicting = 0;

  readonly digit = $derived(this.probabilities ? this.probabilities.indexOf(Math.max(...this.probabilities)) : null);

  constructor(
    private readonly client: LabClient,
    private readonly worker: ModelWorker,
  ) {}

  /** Lists the runs that can read a sketch and loads `runId`'s model (else the default run's: the newest finished one). */
  async start(runId: string | null = null): Promise<void> {
    try {
      this.runs = (await this.client.api.listRuns()).filter((r) => r.hasCheckpoint);
      const chosen = this.runs.find((r) => r.id === runId) ?? defaultRun(this.runs);
      if (chosen) await this.choose(chosen.id);
    } catch (error) {
      this.error = describeError(error);
    }
  }

  async choose(runId: string): Promise<void> {
    this.runId = runId;
    this.modelState = 'loading';
    try {
      await this.worker.load(await runCheckpoints(this.client.api, this.runs.find((r) => r.id === runId) ?? { id: runId, ensembleOf: null }));
      if (this.runId !== runId) return;
      this.modelState = 'ready';
      await this.predict();
    } catch (error) {
      this.modelState = 'failed';
      this.error = describeError(error, { key: 'error.modelUnloadable' });
    }
  }

  setStrokes(strokes: Stroke[]): void {
    if (strokes.length === 0) recentSketches.finish();
    this.strokes = strokes;
    this.source = null;
  }

  /** New ink from the canvas (or a file): preprocess it as MNIST was, and read it. */
  async read(ink: Float32Array, width = sketchSide, height = sketchSide): Promise<void> {
    this.input = preprocessDigit(ink, width, height);
    recentSketches.update(this.input);
    await this.predict();
  }

  private async predict(): Promise<void> {
    const input = this.input;
    if (!input) {
      this.probabilities = null;
      return;
    }
    if (this.modelState !== 'ready') return;
    const call = ++this.predicting;
    const probabilities = await this.worker.predict(input).catch((error: unknown) => ((this.error = describeError(error)), null));
    if (call !== this.predicting || !probabilities) return; // a newer sketch has been read meanwhile
    this.probabilities = probabilities;
    await tick();
  }

  /** A picture of a digit (PNG, JPEG, any size): its ink is found as for a photo, then read. */
  async openImage(file: File): Promise<void> {
    try {
      const bitmap = await createImageBitmap(file);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const { ink, width, height } = inkFromImage(context.getImageData(0, 0, bitmap.width, bitmap.height).data, bitmap.width, bitmap.height);
      this.strokes = [];
      this.source = file.name;
      // A picture is a sketch of its own, not more ink on the one before.
      recentSketches.finish();
      await this.read(ink, width, height);
      recentSketches.finish();
    } catch (error) {
      this.error = describeError(error, { key: 'error.pictureUnreadable', params: { name: file.name } });
    }
  }

  /** No model yet: train the seed CNN and follow it. */
  async trainSeedCnn(): Promise<void> {
    const preset = findPreset('seed-cnn')!;
    try {
      await this.client.api.startTraining({
        name: preset.name,
        datasetId: builtInDatasetId,
        presetId: preset.id,
        layers: preset.layers,
        settings: preset.settings,
        backend: 'auto',
      });
      location.hash = '#training';
    } catch (error) {
      this.error = describeError(error);
    }
  }
}

export const [getSketchpad, setSketchpad] = createContext<SketchpadState>();
