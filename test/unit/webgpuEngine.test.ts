import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from './relativeError';
import { softwareWebGpuUnavailable } from './softwareWebGpu';
import { tryWebGpu, webGpuDevice } from '../../main/worker/backends/startWebGpu';
import { planEngine, stepFlops, type EnginePlan } from '../../main/worker/engine/enginePlan';
import { WebGpuEngine } from '../../main/worker/engine/webgpuEngine';
import { normalizeImages, oneHot } from '../../main/worker/training/batchAssembly';
import { buildModel } from '../../main/worker/training/buildModel';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { findPreset } from '../../shared/layers/presets';
import type { LayerStack } from '../../shared/layers/layerSpec';
import { classCount, pixelsPerImage } from '../../shared/mnist';
import type { OptimizerSettings } from '../../shared/training/trainingSettings';

// The WebGPU engine against tfjs on the cpu backend: from the same weights and the same batches
// (dropout off), five steps must give the same losses and weights within 1e-4, for each
// optimiser. SwiftShader is exact enough for that; a real GPU is only faster.

const skipReason = softwareWebGpuUnavailable();
if (skipReason) console.log(`Skipping the WebGPU engine's GPU checks: ${skipReason}`);

const seedMlp = findPreset('seed-mlp')!.layers;
/** Every activation the engine fuses, and a dropout at rate 0 so its gradient path runs with every value kept. */
const mixed: LayerStack = [
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
const seedCnn: LayerStack = findPreset('seed-cnn')!.layers.map((layer) => (layer.type === 'dropout' ? { ...layer, rate: 0 } : layer));
/** The seed CNN's layers with fewer channels: the same kernels, at a cost the software adapter can take five steps of. */
const smallCnn: LayerStack = seedCnn.map((layer) =>
  layer.type === 'conv2d' ? { ...layer, filters: layer.filters / 8 } : layer.type === 'dense' && layer.units !== 10 ? { ...layer, units: 16 } : layer,
);
/** Strides, 'same' padding on both kinds of window, and average pooling. */
const windows: LayerStack = [
  { type: 'input', shape: [28, 28, 1] },
  { type: 'conv2d', filters: 4, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh' },
  { type: 'maxPooling2d', poolSize: 3, strides: 2, padding: 'same' },
  { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
  { type: 'averagePooling2d', poolSize: 2, padding: 'valid' },
  { type: 'flatten' },
  { type: 'dense', units: 10, activation: 'softmax' },
];

describe("the engine's plan", () => {
  it('lays out the seed MLP in tfjs weight order and counts its FLOPs', () => {
    const plan = planEngine(seedMlp) as EnginePlan;
    expect(plan.parameterCount).toBe(407_050);
    expect(plan.parameters.map((p) => p.shape)).toEqual([[784, 512], [512], [512, 10], [10]]);
    expect(plan.widths).toEqual([784, 512, 10]);
    // Forward and weight gradients for both layers, the input gradient for the second only.
    expect(stepFlops(plan, 200)).toBe(2 * 200 * (784 * 512 * 2 + 512 * 10 * 3));
  });

  it('lays out the seed CNN, with Keras padding for strided and same-padded windows', () => {
    const plan = planEngine(findPreset('seed-cnn')!.layers) as EnginePlan;
    expect(plan.parameterCount).toBe(1_199_882);
    expect(plan.parameters.map((p) => p.shape)[0]).toEqual([3, 3, 1, 32]);
    const same = planEngine(windows) as EnginePlan;
    expect(same.ops.slice(0, 2).map((op) => (op.kind === 'conv' || op.kind === 'pool' ? [op.output, op.padTop] : null))).toEqual([
      [[14, 14, 4], 1],
      [[7, 7, 4], 0],
    ]);
  });

  it('names what it cannot train yet, so the tfjs WebGPU path takes over and says why', () => {
    expect(planEngine(findPreset('deep-cnn')!.layers)).toEqual({
      unsupported: 'batchNormalization layers (the engine trains Conv2D, pooling, Dense, Dropout and Flatten so far)',
    });
    expect(
      planEngine([
        { type: 'input', shape: [28, 28, 1] },
        { type: 'dense', units: 10, activation: 'softmax' },
      ]),
    ).toEqual({
      unsupported: 'a Dense layer on an image (without Flatten before it)',
    });
  });
});

describe.skipIf(skipReason !== null)('the WebGPU engine', () => {
  let pixels = new Uint8Array();
  let labels = new Uint8Array();
  const batch = 16;
  const steps = 5;
  /** A case's batch size and steps: the full seed CNN takes tfjs' cpu backend about 7 s a step even at batch 2. */
  type Run = { batch: number; steps: number; maxDispatches?: number };

  beforeAll(async () => {
    expect((await tryWebGpu(true)).reason).toBeNull();
    const data = await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()));
    pixels = data.train.pixels.slice(0, batch * steps * pixelsPerImage);
    labels = data.train.labels.slice(0, batch * steps);
  }, 60_000);

  /** tfjs on the cpu backend: the initial weights, then each step's loss and the final weights. */
  async function reference(layers: LayerStack, optimizer: OptimizerSettings, { batch, steps }: Run) {
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

  const optimizers: OptimizerSettings[] = [
    { type: 'adam', learningRate: 0.001 },
    { type: 'sgd', learningRate: 0.05, momentum: 0 },
    { type: 'sgd', learningRate: 0.05, momentum: 0.9 },
    { type: 'rmsprop', learningRate: 0.001 },
  ];
  const label = (o: OptimizerSettings) => (o.type === 'sgd' ? `sgd, momentum ${o.momentum}` : o.type);
  // Every optimiser on the seed MLP; the activations and the dropout path once (they meet the
  // optimiser only through the gradients, which the seed MLP's rows already check).
  const five: Run = { batch, steps };
  const cases: [string, string, LayerStack, OptimizerSettings, Run][] = [
    ...optimizers.map((optimizer): [string, string, LayerStack, OptimizerSettings, Run] => [
      'the seed MLP',
      label(optimizer),
      seedMlp,
      optimizer,
      { ...five, maxDispatches: 12 },
    ]),
    ['every activation and a dropout', label(optimizers[0]!), mixed, optimizers[0]!, five],
    ["the seed CNN's layers, fewer channels", label(optimizers[0]!), smallCnn, optimizers[0]!, { batch: 8, steps: 5 }],
    // Adam moves a weight by about its learning rate whatever the size of its gradient, so where
    // one of the 1.2 million gradients is rounding noise (1e-9 against 0) the two implementations
    // part by more than 1e-4; momentum takes steps in proportion, so the full model is checked with it.
    ['the seed CNN itself, in at most 40 dispatches a step', label(optimizers[2]!), seedCnn, optimizers[2]!, { batch: 2, steps: 2, maxDispatches: 40 }],
    ['strides, same padding and average pooling', label(optimizers[2]!), windows, optimizers[2]!, { batch: 8, steps: 3 }],
  ];

  it.each(cases)(
    '%s, %s: its steps match tfjs on the cpu backend',
    async (_name, _optimizer, layers, optimizer, { batch, steps, maxDispatches = Infinity }) => {
      const expected = await reference(layers, optimizer, { batch, steps });
      const plan = planEngine(layers) as EnginePlan;
      const engine = await WebGpuEngine.build(webGpuDevice()!, plan, { batchSize: batch, optimizer, seed: 7 }, expected.initial);
      expect(engine.dispatchesPerStep).toBeLessThanOrEqual(maxDispatches);
      engine.setData(pixels, labels);
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
      for (const [i, w] of weights.entries()) expect(relativeError(w, expected.final[i]!), `weight ${i}`).toBeLessThan(1e-4);
      // The steps moved the weights, so an engine that does nothing fails.
      expect(relativeError(expected.initial[0]!, expected.final[0]!)).toBeGreaterThan(1e-4);
    },
    240_000,
  );

  it('trains the seed MLP in at most 12 dispatches a step, many steps a submission, the last batch of an epoch short', async () => {
    await tf.setBackend('cpu');
    const model = buildModel(seedMlp, { type: 'adam', learningRate: 0.001 }, 3);
    const plan = planEngine(seedMlp) as EnginePlan;
    const engine = await WebGpuEngine.build(
      webGpuDevice()!,
      plan,
      { batchSize: batch, optimizer: { type: 'adam', learningRate: 0.001 }, seed: 3 },
      model.getWeights().map((w) => w.dataSync() as Float32Array),
    );
    model.dispose();
    expect(engine.dispatchesPerStep).toBeLessThanOrEqual(12);
    engine.setData(pixels, labels);
    // 70 images: four full batches and one of 6.
    engine.startEpoch(Uint32Array.from({ length: 70 }, (_, i) => 79 - i));
    engine.encodeSteps(5);
    const metrics = await engine.takeMetrics();
    expect(metrics.images).toBe(70);
    expect(metrics.loss).toBeGreaterThan(0);
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0);
    engine.dispose();
  }, 60_000);
});
