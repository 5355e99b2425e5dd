import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, it } from 'vitest';
import { relativeError } from './relativeError';
import { softwareWebGpuUnavailable } from './softwareWebGpu';
import { tryWebGpu, webGpuDevice } from '../../main/worker/backends/startWebGpu';
import { batchNormMomentum, planEngine, type EnginePlan } from '../../main/worker/engine/enginePlan';
import { WebGpuEngine } from '../../main/worker/engine/webgpuEngine';
import { normalizeImages, oneHot } from '../../main/worker/training/batchAssembly';
import { buildModel } from '../../main/worker/training/buildModel';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { findPreset } from '../../shared/layers/presets';
import type { LayerStack } from '../../shared/layers/layerSpec';
import { classCount, pixelsPerImage } from '../../shared/mnist';
import type { OptimizerSettings } from '../../shared/training/trainingSettings';

// What the WebGPU engine's checks share (webgpuEngine.test.ts, webgpuEngineModels.test.ts): the
// layer stacks, the images, and the check itself: from the same weights and the same batches
// (dropout off), the engine's steps give tfjs' cpu backend's losses and weights within 1e-4.
// SwiftShader is exact enough for that; a real GPU is only faster.

export const seedMlp = findPreset('seed-mlp')!.layers;
/** Every activation the engine fuses, and a dropout at rate 0 so its gradient path runs with every value kept. */
export const mixed: LayerStack = [
  { type: 'input', shape: [28, 28, 1] },
  { type: 'flatten' },
  { type: 'dense', units: 48, activation: 'tanh' },
  { type: 'dropout', rate: 0 },
  { type: 'dense', units: 40, activation: 'elu' },
  { type: 'dense', units: 36, activation: 'selu' },
  { type: 'dense', units: 32, activation: 'sigmoid' },
  { type: 'dense', units: 24, activation: 'linear' },
  { type: 'dense', units: 10, activation: 'softmax' },
];

/** The seed CNN with its dropout off, so tfjs and the engine take the same steps. */
export const seedCnn: LayerStack = findPreset('seed-cnn')!.layers.map((layer) => (layer.type === 'dropout' ? { ...layer, rate: 0 } : layer));
/** The seed CNN's layers with fewer channels: the same kernels, at a cost the software adapter can take five steps of. */
export const smallCnn: LayerStack = seedCnn.map((layer) =>
  layer.type === 'conv2d' ? { ...layer, filters: layer.filters / 8 } : layer.type === 'dense' && layer.units !== 10 ? { ...layer, units: 16 } : layer,
);
/** The deep CNN (BatchNorm, its ReLU an Activation layer of its own) with dropout off. */
export const deepCnn: LayerStack = findPreset('deep-cnn')!.layers.map((layer) => (layer.type === 'dropout' ? { ...layer, rate: 0 } : layer));
export const smallDeepCnn: LayerStack = deepCnn.map((layer) =>
  layer.type === 'conv2d' ? { ...layer, filters: layer.filters / 8 } : layer.type === 'dense' && layer.units !== 10 ? { ...layer, units: 16 } : layer,
);
/** Batch normalisation first of all and on flat values, and a standalone Activation after pooling. */
export const normalised: LayerStack = [
  { type: 'input', shape: [28, 28, 1] },
  { type: 'batchNormalization' },
  { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'linear' },
  { type: 'maxPooling2d', poolSize: 2, padding: 'valid' },
  { type: 'activation', activation: 'tanh' },
  { type: 'flatten' },
  { type: 'dense', units: 24, activation: 'relu' },
  { type: 'batchNormalization' },
  { type: 'dense', units: 10, activation: 'softmax' },
];
/** Strides, 'same' padding on both kinds of window, and average pooling. */
export const windows: LayerStack = [
  { type: 'input', shape: [28, 28, 1] },
  { type: 'conv2d', filters: 4, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh' },
  { type: 'maxPooling2d', poolSize: 3, strides: 2, padding: 'same' },
  { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
  { type: 'averagePooling2d', poolSize: 2, padding: 'valid' },
  { type: 'flatten' },
  { type: 'dense', units: 10, activation: 'softmax' },
];

/** Training images for the checks, as bytes, and their labels. */
export interface Images {
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** Why the GPU checks skip on this machine, or null; said once by each file that asks. */
export function engineSkipReason(): string | null {
  const reason = softwareWebGpuUnavailable();
  if (reason) console.log(`Skipping the WebGPU engine's GPU checks: ${reason}`);
  return reason;
}

/** Starts WebGPU (the software adapter here) and loads the first `count` training images before the suite's tests; read them when a test runs. */
export function useEngineImages(count: number): () => Images {
  let images: Images | null = null;
  beforeAll(async () => {
    expect((await tryWebGpu(true)).reason).toBeNull();
    const data = await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()));
    images = { pixels: data.train.pixels.slice(0, count * pixelsPerImage), labels: data.train.labels.slice(0, count) };
  }, 60_000);
  return () => images!;
}

/** A case's batch size and steps (the full seed CNN takes tfjs' cpu backend about 7 s a step even at batch 2), and a bound on dispatches. */
export type Run = { batch: number; steps: number; maxDispatches?: number };

export const optimizers: OptimizerSettings[] = [
  { type: 'adam', learningRate: 0.001 },
  { type: 'sgd', learningRate: 0.05, momentum: 0 },
  { type: 'sgd', learningRate: 0.05, momentum: 0.9 },
  { type: 'rmsprop', learningRate: 0.001 },
];
export const label = (o: OptimizerSettings) => (o.type === 'sgd' ? `sgd, momentum ${o.momentum}` : o.type);

/** A case: what it trains, its optimiser as a label, the stack, the optimiser and the run. */
export type Case = [string, string, LayerStack, OptimizerSettings, Run];

/** The cases of one stack, one for each of `chosen`, each run as `run` says for its optimiser. */
export const casesOf = (name: string, layers: LayerStack, chosen: OptimizerSettings[], run: (optimizer: OptimizerSettings) => Run): Case[] =>
  chosen.map((optimizer) => [name, label(optimizer), layers, optimizer, run(optimizer)]);

/** A test for each case, expecting the engine's steps to match tfjs'. */
export function itMatchesTfjs(cases: Case[], images: () => Images): void {
  it.each(cases)(
    '%s, %s: its steps match tfjs on the cpu backend',
    (_name, _optimizer, layers, optimizer, run) => expectStepsMatchTfjs(layers, optimizer, run, images()),
    240_000,
  );
}

/** tfjs on the cpu backend: the initial weights, then each step's loss and the final weights. */
async function reference(layers: LayerStack, optimizer: OptimizerSettings, { batch, steps }: Run, { pixels, labels }: Images) {
  await tf.setBackend('cpu');
  const model = buildModel(layers, optimizer, 7);
  const initial = model.getWeights().map((w) => w.dataSync() as Float32Array);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const indices = Array.from({ length: batch }, (_, i) => s * batch + i);
    const x = new Float32Array(batch * pixelsPerImage);
    const y = new Float32Array(batch * classCount);
    normalizeImages(pixels, indices, x);
    oneHot(labels, indices, y);
    const [loss] = (await model.trainOnBatch(tf.tensor4d(x, [batch, 28, 28, 1]), tf.tensor2d(y, [batch, classCount]))) as number[];
    losses.push(loss!);
  }
  const final = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
  return { initial, losses, final };
}

/**
 * Biases whose gradient is zero in exact arithmetic: a convolution's or dense layer's right
 * before a BatchNormalization, which subtracts the batch mean and the bias with it.
 */
function deadBiases(layers: LayerStack, plan: EnginePlan): { bias: number; movingMean: number }[] {
  const names = plan.parameters.map((p) => p.name);
  const layerOf = (name: string) => Number(name.split(' ')[1]);
  return names
    .filter((name) => name.endsWith(' bias') && layers[layerOf(name) + 1]?.type === 'batchNormalization')
    .map((name) => ({ bias: names.indexOf(name), movingMean: names.indexOf(`batch norm ${layerOf(name) + 1} moving mean`) }));
}

const noiseMovement = (optimizer: OptimizerSettings, steps: number) => (optimizer.type === 'adam' ? steps * optimizer.learningRate * 1.01 : 1e-4);
const maxDifference = (a: Float32Array, b: Float32Array) => a.reduce((most, v, i) => Math.max(most, Math.abs(v - b[i]!)), 0);

/** Trains `layers` on the engine and on tfjs' cpu backend from the same weights and batches, and expects the same losses and weights. */
export async function expectStepsMatchTfjs(
  layers: LayerStack,
  optimizer: OptimizerSettings,
  { batch, steps, maxDispatches = Infinity }: Run,
  images: Images,
): Promise<void> {
  const expected = await reference(layers, optimizer, { batch, steps }, images);
  const plan = planEngine(layers) as EnginePlan;
  const engine = await WebGpuEngine.build(webGpuDevice()!, plan, { batchSize: batch, optimizer, seed: 7, augmentation: null }, expected.initial);
  expect(engine.dispatchesPerStep).toBeLessThanOrEqual(maxDispatches);
  engine.setData(images.pixels, images.labels);
  engine.startEpoch(Uint32Array.from({ length: batch * steps }, (_, i) => i));
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    engine.encodeSteps(1);
    const metrics = await engine.takeMetrics();
    expect(metrics.images).toBe(batch);
    losses.push(metrics.loss);
  }
  const weights = await engine.readWeights();
  engine.dispose();
  expect(relativeError(Float32Array.from(losses), Float32Array.from(expected.losses))).toBeLessThan(1e-4);
  const dead = deadBiases(layers, plan);
  for (const [i, w] of weights.entries()) {
    const name = plan.parameters[i]!.name;
    const expectedFinal = expected.final[i]!;
    const carrier = dead.find((d) => d.movingMean === i);
    if (dead.some((d) => d.bias === i)) {
      // Its gradient is rounding noise in both, so each must leave it about where it was: Adam
      // moves even a noise gradient's weight by up to its rate a step, the others by next to nothing.
      for (const moved of [w, expectedFinal]) expect(maxDifference(moved, expected.initial[i]!), name).toBeLessThan(noiseMovement(optimizer, steps));
    } else if (carrier) {
      // The moving mean carries the bias before it, noise and all: by 1 − 0.99^steps of the two biases' difference.
      const carried = (1 - batchNormMomentum ** steps) * maxDifference(weights[carrier.bias]!, expected.final[carrier.bias]!);
      expect(maxDifference(w, expectedFinal), name).toBeLessThan(carried + 1e-4 * Math.max(...expectedFinal.map(Math.abs)));
    } else expect(relativeError(w, expectedFinal), name).toBeLessThan(1e-4);
  }
  // The steps moved the weights, so an engine that does nothing fails.
  expect(relativeError(expected.initial[0]!, expected.final[0]!)).toBeGreaterThan(1e-4);
}
