import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackendName } from '../../shared/apiTypes';
import type { LayerStack } from '../../shared/layers/layerSpec';
import { classCount, pixelsPerImage } from '../../shared/mnist';
import type { OptimizerSettings } from '../../shared/training/trainingSettings';
import { assignWeights, computeGradients, trainableVariables } from './dataParallel/gradientStep';
import { OptimizerStep } from './dataParallel/optimizerStep';
import { batchTensors } from './batchAssembly';
import type { FromHelper, HelperInit, ToHelper } from './dataParallel/helperMessages';
import { createSharedBuffers, gradientViews, writeScaledGradients } from './dataParallel/sharedBuffers';
import { errorMessage } from '../../shared/errorMessage';

export interface StepResult {
  loss: number;
  accuracy: number;
}

/** Trains a model one batch at a time; how (one thread or two) is its own business. */
export interface BatchTrainer {
  /** One optimiser step on the first `count` images of `x` ([n, 28, 28, 1]) and one-hot `y`. */
  step(x: Float32Array, y: Float32Array, count: number): Promise<StepResult>;
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
  /** The helper thread's bundled entry; beside this file's bundle unless told otherwise (tests). */
  helperEntry?: string;
}

/**
 * The bundled helper beside this file. In a packaged app it is unpacked from app.asar
 * (electron-builder.yml), since a worker thread loads its script from the real file system.
 */
function helperEntryFile(): string {
  return join(__dirname, 'gradientHelper.cjs').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

/** A batch below this is not worth splitting across threads. */
const minimumSplitBatch = 32;

function singleThreadTrainer(model: tfl.LayersModel): BatchTrainer {
  return {
    threads: 1,
    async step(x, y, count) {
      const { xs, ys } = batchTensors(x, y, count);
      const [loss, accuracy] = (await model.trainOnBatch(xs, ys)) as number[];
      tf.dispose([xs, ys]);
      return { loss: loss!, accuracy: accuracy! };
    },
    sync: async () => undefined,
    dispose: async () => undefined,
  };
}

/**
 * wasm runs one thread per instance (its threaded build does not work in Node), so on a
 * machine with two or more cores a helper thread holds a second replica on its own wasm
 * instance: each step, both compute the gradients of part of the batch, exchange them through
 * shared memory and take the same optimiser step, so the replicas stay identical.
 */
/** The helper thread as a mailbox: post a message, await the next reply; a crash turns into a thrown error. */
async function startHelper(entry: string, init: HelperInit) {
  const helper = new Worker(entry, { workerData: init });
  const inbox: FromHelper[] = [];
  let waiting: ((message: FromHelper) => void) | null = null;
  let failure: Error | null = null;
  helper.on('message', (message: FromHelper) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(message);
    } else inbox.push(message);
  });
  helper.on('error', (error) => {
    failure = error;
    waiting?.({ type: 'error', message: error.message });
  });
  const next = async (): Promise<FromHelper> => {
    if (failure) throw failure;
    const message = inbox.shift() ?? (await new Promise<FromHelper>((resolve) => (waiting = resolve)));
    if (message.type === 'error') throw new Error(`the training helper thread failed: ${message.message}`);
    return message;
  };
  try {
    await next();
  } catch (error) {
    await helper.terminate();
    throw error;
  }
  return { next, post: (message: ToHelper) => helper.postMessage(message), terminate: () => helper.terminate() };
}

/** The main thread's part of a step: gradients of the first `count` images, pre-scaled into shared memory; with its speed. */
function mainThreadHalf(model: tfl.LayersModel, x: Float32Array, y: Float32Array, count: number, scale: number, views: Float32Array[]) {
  const started = performance.now();
  const { xs, ys } = batchTensors(x, y, count);
  const own = computeGradients(model, xs, ys);
  tf.dispose([xs, ys]);
  writeScaledGradients(own.grads, views, scale);
  tf.dispose(own.grads);
  return { loss: own.loss, accuracy: own.accuracy, rate: count / (performance.now() - started) };
}

async function twoThreadTrainer(model: tfl.LayersModel, options: BatchTrainerOptions): Promise<BatchTrainer> {
  const variables = trainableVariables(model);
  const sizes = variables.map((v) => v.size);
  const paramCount = sizes.reduce((a, b) => a + b, 0);
  const buffers = createSharedBuffers(options.batchSize, pixelsPerImage, classCount, paramCount);
  const { next, post, terminate } = await startHelper(options.helperEntry ?? helperEntryFile(), {
    layers: options.layers,
    optimizer: options.optimizer,
    seed: options.seed,
    buffers,
    sizes,
  });

  const input = new Float32Array(buffers.input);
  const labels = new Float32Array(buffers.labels);
  const helperViews = gradientViews(buffers.helperGrads, sizes);
  const mainViews = buffers.mainGrads.map((buffer) => gradientViews(buffer, sizes));
  const optimizer = new OptimizerStep(options.optimizer, sizes);
  let weights: Float32Array[] = [];
  let slot: 0 | 1 = 0;
  // The main thread's share of each batch, steered towards both threads finishing together.
  let mainShare = 0.5;

  const trainer: BatchTrainer = {
    threads: 2,
    async sync() {
      weights = variables.map((v) => (v.dataSync() as Float32Array).slice());
      post({ type: 'weights', values: model.getWeights().map((w) => w.dataSync() as Float32Array) });
    },
    async step(x, y, count) {
      const mainCount = Math.min(count - 1, Math.max(1, Math.round(count * mainShare)));
      const helperCount = count - mainCount;
      input.set(x.subarray(mainCount * pixelsPerImage, count * pixelsPerImage));
      labels.set(y.subarray(mainCount * classCount, count * classCount));
      post({ type: 'gradients', count: helperCount, scale: helperCount / count });

      const own = mainThreadHalf(model, x, y, mainCount, mainCount / count, mainViews[slot]!);

      const theirs = (await next()) as Extract<FromHelper, { type: 'gradients' }>;
      post({ type: 'apply', slot });
      optimizer.apply(weights, mainViews[slot]!, helperViews);
      assignWeights(variables, weights);
      slot = slot === 0 ? 1 : 0;
      const helperRate = helperCount / theirs.milliseconds;
      mainShare = Math.min(0.7, Math.max(0.3, 0.8 * mainShare + 0.2 * (own.rate / (own.rate + helperRate))));
      return {
        loss: (own.loss * mainCount + theirs.loss * helperCount) / count,
        accuracy: (own.accuracy * mainCount + theirs.accuracy * helperCount) / count,
      };
    },
    async dispose() {
      await terminate();
    },
  };
  await trainer.sync();
  return trainer;
}

/** Two threads for wasm on a multi-core machine (unless MNIST_LAB_WASM_THREADS=1), else one. */
export async function createBatchTrainer(model: tfl.LayersModel, options: BatchTrainerOptions): Promise<BatchTrainer> {
  const allowed = process.env.MNIST_LAB_WASM_THREADS !== '1';
  if (options.backend === 'wasm' && allowed && availableParallelism() >= 2 && options.batchSize >= minimumSplitBatch) {
    try {
      return await twoThreadTrainer(model, options);
    } catch (error) {
      // One thread is slower but always works: better than failing the run.
      process.stderr.write(`MNIST Lab: training on one thread, the helper thread did not start: ${errorMessage(error)}\n`);
    }
  }
  return singleThreadTrainer(model);
}
