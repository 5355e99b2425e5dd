import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { BackendName } from '../../shared/apiTypes';
import type { LayerStack } from '../../shared/layers/layerSpec';
import { maxCpuThreads, type OptimizerSettings } from '../../shared/training/trainingSettings';
import { batchTensors } from './batchAssembly';
import { startDataParallelTrainer } from './dataParallel/dataParallelTrainer';
import { MetricsTally, type StepMetrics } from './metricsTally';
import { gpuTrainer } from './gpuTraining/gpuTrainer';
import { errorMessage } from '../../shared/errorMessage';

/** Trains a model one batch at a time; how (one thread or several, CPU or GPU) is its own business. */
export interface BatchTrainer {
  /** One optimiser step on the first `count` images of `x` ([n, 28, 28, 1]) and one-hot `y`. */
  step(x: Float32Array, y: Float32Array, count: number): Promise<void>;
  /**
   * The metrics of the steps since the last call. On a GPU this is the one read back from the
   * device, so callers take them once per reporting interval, not every step.
   */
  takeMetrics(): Promise<StepMetrics>;
  /** Brings helper replicas back to the model's exact weights (called before every epoch). */
  sync(): Promise<void>;
  dispose(): Promise<void>;
  readonly threads: number;
}

export interface BatchTrainerOptions {
  layers: LayerStack;
  optimizer: OptimizerSettings;
  seed: number;
  backend: BackendName;
  batchSize: number;
  /** Threads for wasm training; null: MNIST_LAB_WASM_THREADS, else every core. */
  threads: number | null;
  /** The helper threads' bundled entry; beside this file's bundle unless told otherwise (tests). */
  helperEntry?: string;
}

/**
 * The bundled helper beside this file. In a packaged app it is loaded by its app.asar path even
 * though electron-builder.yml unpacks it: Electron redirects the read, and worker threads read
 * app.asar since Electron 18, so the helper's own requires still find the packages in app.asar.
 */
function helperEntryFile(): string {
  return join(__dirname, 'gradientHelper.cjs');
}

/** Each thread's shard should hold a few images at least, or the split costs more than it gains. */
const minimumImagesPerThread = 4;
/** The shared gradients take two copies of the parameters per thread: keep them under 1 GiB. */
const sharedGradientBudgetBytes = 2 ** 30;

/** How many threads wasm training uses: asked for (run setting, else the environment), else every core; within what the batch and memory allow. */
export function wasmThreadCount(requested: number | null, batchSize: number, paramCount: number): number {
  const fromEnvironment = Number(process.env.MNIST_LAB_WASM_THREADS);
  const asked = requested ?? (Number.isInteger(fromEnvironment) && fromEnvironment >= 1 ? fromEnvironment : availableParallelism());
  const byBatch = Math.floor(batchSize / minimumImagesPerThread);
  const byMemory = Math.floor(sharedGradientBudgetBytes / (8 * Math.max(1, paramCount)));
  return Math.max(1, Math.min(asked, maxCpuThreads, byBatch, byMemory));
}

function singleThreadTrainer(model: tfl.LayersModel): BatchTrainer {
  const tally = new MetricsTally();
  return {
    threads: 1,
    async step(x, y, count) {
      const { xs, ys } = batchTensors(x, y, count);
      const [loss, accuracy] = (await model.trainOnBatch(xs, ys)) as number[];
      tf.dispose([xs, ys]);
      tally.add(loss!, accuracy!, count);
    },
    takeMetrics: async () => tally.take(),
    sync: async () => undefined,
    dispose: async () => undefined,
  };
}

/**
 * WebGPU: the GPU trainer (fused optimiser, metrics read back once per interval). wasm:
 * data-parallel threads (see dataParallelTrainer.ts). Others: one thread, as they parallelise
 * inside their kernels.
 */
export async function createBatchTrainer(model: tfl.LayersModel, options: BatchTrainerOptions): Promise<BatchTrainer> {
  if (options.backend === 'webgpu') return gpuTrainer(model, options);
  const paramCount = model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
  const threads = options.backend === 'wasm' ? wasmThreadCount(options.threads, options.batchSize, paramCount) : 1;
  if (threads > 1) {
    try {
      const trainer = await startDataParallelTrainer(model, { ...options, threads, helperEntry: options.helperEntry ?? helperEntryFile() });
      await trainer.sync();
      return trainer;
    } catch (error) {
      // One thread is slower but always works: better than failing the run.
      process.stderr.write(`MNIST Lab: training on one thread, the helper threads did not start: ${errorMessage(error)}\n`);
    }
  }
  return singleThreadTrainer(model);
}
