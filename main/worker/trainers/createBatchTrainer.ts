import type * as tfl from '@tensorflow/tfjs-layers';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../../../shared/errorMessage';
import { maxCpuThreads } from '../../../shared/training/trainingSettings';
import type { BatchTrainer, BatchTrainerOptions } from './batchTrainer';
import { startDataParallelTrainer } from './dataParallel/dataParallelTrainer';
import { webGpuDevice } from '../backends/startWebGpu';
import { planEngine, type EnginePlan } from '../engine/enginePlan';
import { engineTrainer } from './gpu/engineTrainer';
import { gpuTrainer } from './gpu/gpuTrainer';
import { singleThreadTrainer } from './singleThreadTrainer';

/**
 * The bundled helper beside the worker's bundle. In a packaged app it is loaded by its app.asar
 * path even though electron-builder.yml unpacks it: Electron redirects the read, and worker
 * threads read app.asar since Electron 18, so the helper's own requires still find the packages.
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

/** The WebGPU engine for what it trains, or the reason it is not used; without a WebGPU device (another backend is set) there is none. */
function engineFor(options: BatchTrainerOptions): { plan: EnginePlan; device: GPUDevice } | { reason: string } {
  const device = webGpuDevice();
  if (!device) return { reason: 'no WebGPU device' };
  const plan = planEngine(options.layers);
  return 'unsupported' in plan ? { reason: plan.unsupported } : { plan, device };
}

/**
 * WebGPU: our engine where it trains the model, else tfjs' WebGPU backend with a fused
 * optimiser (metrics read back once per interval either way). wasm:
 * data-parallel threads (see dataParallelTrainer.ts), one or more. Others: one thread, as they
 * parallelise inside their kernels.
 */
export async function createBatchTrainer(model: tfl.LayersModel, options: BatchTrainerOptions): Promise<BatchTrainer> {
  if (options.backend === 'webgpu') {
    const engine = engineFor(options);
    if ('plan' in engine) {
      try {
        const { batchSize, optimizer, seed, augmentation = null } = options;
        return await engineTrainer(model, engine.plan, engine.device, { batchSize, optimizer, seed, augmentation });
      } catch (error) {
        // An adapter that refuses one of the engine's pipelines still trains, more slowly.
        process.stderr.write(`MNIST Lab: training with tfjs' WebGPU backend; the WebGPU engine failed to start: ${errorMessage(error)}\n`);
        return gpuTrainer(model, options);
      }
    }
    process.stderr.write(`MNIST Lab: training with tfjs' WebGPU backend; the WebGPU engine does not train ${engine.reason}\n`);
    return gpuTrainer(model, options);
  }
  const paramCount = model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
  // wasm trains through the data-parallel trainer on one thread too: its optimiser update runs
  // our native loop, where tfjs' optimisers take fifteen kernel calls per weight.
  if (options.backend === 'wasm') {
    const start = async (threads: number) => {
      const trainer = await startDataParallelTrainer(model, { ...options, threads, helperEntry: options.helperEntry ?? helperEntryFile() });
      await trainer.sync();
      return trainer;
    };
    const threads = wasmThreadCount(options.threads, options.batchSize, paramCount);
    if (threads === 1) return start(1);
    try {
      return await start(threads);
    } catch (error) {
      // One thread is slower but always works: better than failing the run.
      process.stderr.write(`MNIST Lab: training on one thread, the helper threads did not start: ${errorMessage(error)}\n`);
      return start(1);
    }
  }
  return singleThreadTrainer(model);
}
