import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from './relativeError';
import { softwareWebGpuUnavailable } from './softwareWebGpu';
import { tryWebGpu, webGpuDevice } from '../../main/worker/backends/startWebGpu';
import { batchNormMomentum, planEngine, stepFlops, type EnginePlan } from '../../main/worker/engine/enginePlan';
import { WebGpuEngine } from '../../main/worker/engine/webgpuEngine';
import { augmentInPlace, normalizeImages, oneHot } from '../../main/worker/training/batchAssembly';
import { buildModel } from '../../main/worker/training/buildModel';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { findPreset } from '../../shared/layers/presets';
import type { LayerStack } from '../../shared/layers/layerSpec';
import { classCount, pixelsPerImage } from '../../shared/mnist';
import type { Augmentation, OptimizerSettings } from '../../shared/training/trainingSettings';

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
/** The deep CNN (BatchNorm, its ReLU an Activation layer of its own) with dropout off. */
const deepCnn: LayerStack = findPreset('deep-cnn')!.layers.map((layer) => (layer.type === 'dropout' ? { ...layer, rate: 0 } : layer));
const smallDeepCnn: LayerStack = deepCnn.map((layer) =>
  layer.type === 'conv2d' ? { ...layer, filters: layer.filters / 8 } : layer.type === 'dense' && layer.units !== 10 ? { ...layer, units: 16 } : layer,
);
/** Batch normalisation first of all and on flat values, and a standalone Activation after pooling. */
const normalised: LayerStack = [
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

  it('lays out the deep CNN with its moving statistics last, as tfjs orders them, and its ReLUs fused', () => {
    const plan = planEngine(findPreset('deep-cnn')!.layers) as EnginePlan;
    const names = plan.parameters.map((p) => p.name);
    expect(names.slice(0, 4)).toEqual(['conv 1 kernel', 'conv 1 bias', 'batch norm 2 gamma', 'batch norm 2 beta']);
    expect(names.slice(-2)).toEqual(['batch norm 13 moving mean', 'batch norm 13 moving variance']);
    expect(plan.trainableCount).toBe(plan.parameterCount - 2 * (32 + 32 + 64 + 64));
    expect(plan.ops.filter((op) => op.kind === 'activation')).toEqual([]);
    expect(plan.ops.filter((op) => op.kind === 'batchNorm').map((op) => op.kind === 'batchNorm' && op.activation)).toEqual(['relu', 'relu', 'relu', 'relu']);
  });

  it('names what it cannot train, so the tfjs WebGPU path takes over and says why', () => {
    expect(
      planEngine([
        { type: 'input', shape: [28, 28, 1] },
        { type: 'averagePooling2d', poolSize: 2, padding: 'same' },
        { type: 'flatten' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ]),
    ).toEqual({ unsupported: "average pooling with 'same' padding" });
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
    ...optimizers.map((optimizer): [string, string, LayerStack, OptimizerSettings, Run] => [
      "the seed CNN's layers, fewer channels",
      label(optimizer),
      smallCnn,
      optimizer,
      { batch: 8, steps: 5 },
    ]),
    ...optimizers.map((optimizer): [string, string, LayerStack, OptimizerSettings, Run] => [
      "the deep CNN's layers (BatchNorm), fewer channels",
      label(optimizer),
      smallDeepCnn,
      optimizer,
      // Adam needs the larger batch: at 4, a few dense weights see only near-zero gradients, which it turns into full steps.
      { batch: optimizer.type === 'adam' ? 8 : 4, steps: 5 },
    ]),
    ['batch norm on flat values and first, a standalone activation', label(optimizers[0]!), normalised, optimizers[0]!, five],
    // Adam moves a weight by about its learning rate whatever the size of its gradient, so where
    // one of the 1.2 million gradients is rounding noise (1e-9 against 0) the two implementations
    // part by more than 1e-4; momentum takes steps in proportion, so the full model is checked with it.
    ['the seed CNN itself, in at most 40 dispatches a step', label(optimizers[2]!), seedCnn, optimizers[2]!, { batch: 2, steps: 2, maxDispatches: 40 }],
    // At batch 2 the deep CNN's batch statistics are so rough that a step at the others' rate makes the loss explode
    // (2.9 to 16), and past that, rounding decides which ReLUs and pooling windows pass a gradient.
    ['the deep CNN itself', 'sgd, momentum 0.9, rate 0.002', deepCnn, { type: 'sgd', learningRate: 0.002, momentum: 0.9 }, { batch: 2, steps: 2 }],
    ['strides, same padding and average pooling', label(optimizers[2]!), windows, optimizers[2]!, { batch: 8, steps: 3 }],
  ];

  it.each(cases)(
    '%s, %s: its steps match tfjs on the cpu backend',
    async (_name, _optimizer, layers, optimizer, { batch, steps, maxDispatches = Infinity }) => {
      const expected = await reference(layers, optimizer, { batch, steps });
      const plan = planEngine(layers) as EnginePlan;
      const engine = await WebGpuEngine.build(webGpuDevice()!, plan, { batchSize: batch, optimizer, seed: 7, augmentation: null }, expected.initial);
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
      { batchSize: batch, optimizer: { type: 'adam', learningRate: 0.001 }, seed: 3, augmentation: null },
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

  /** An engine for `layers` from a fresh tfjs model's weights, with the test's images. */
  async function engineFor(layers: LayerStack, augmentation: Augmentation | null, engineBatch = batch) {
    await tf.setBackend('cpu');
    const optimizer: OptimizerSettings = { type: 'adam', learningRate: 0.01 };
    const model = buildModel(layers, optimizer, 5);
    const plan = planEngine(layers) as EnginePlan;
    const settings = { batchSize: engineBatch, optimizer, seed: 5, augmentation };
    const engine = await WebGpuEngine.build(
      webGpuDevice()!,
      plan,
      settings,
      model.getWeights().map((w) => w.dataSync() as Float32Array),
    );
    engine.setData(pixels, labels);
    return { engine, model, plan };
  }

  it('evaluates on the GPU as tfjs predicts: batch norm on its moving statistics, dropout off, the last batch short', async () => {
    // Trained with dropout and augmentation, so the moving statistics have moved.
    const layers: LayerStack = [
      { type: 'input', shape: [28, 28, 1] },
      { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same', activation: 'linear' },
      { type: 'batchNormalization' },
      { type: 'activation', activation: 'relu' },
      { type: 'maxPooling2d', poolSize: 2, padding: 'valid' },
      { type: 'dropout', rate: 0.25 },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ];
    const engineBatch = 8;
    const { engine, model, plan } = await engineFor(layers, { maxShift: 2, maxRotationDegrees: 10 }, engineBatch);
    engine.startEpoch(Uint32Array.from({ length: engineBatch * 3 }, (_, i) => i));
    await engine.encodeSteps(3);
    const weights = await engine.readWeights();
    const count = 2 * engineBatch + 5;
    const probabilities = await engine.evaluate(pixels, count);
    engine.dispose();
    model.setWeights(weights.map((w, i) => tf.tensor(w, plan.parameters[i]!.shape)));
    const x = new Float32Array(count * pixelsPerImage);
    normalizeImages(
      pixels,
      Array.from({ length: count }, (_, i) => i),
      x,
    );
    const expected = (model.predict(tf.tensor4d(x, [count, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array;
    model.dispose();
    expect(probabilities.length).toBe(count * classCount);
    expect(relativeError(probabilities, expected)).toBeLessThan(1e-4);
  }, 120_000);

  /** Whether some draw of augmentInPlace's makes `row` from `source`: its shift and angle searched on a grid. */
  function madeByAugmentation(source: Float32Array, row: Float32Array, augmentation: Augmentation): boolean {
    const shifts = Array.from({ length: 2 * augmentation.maxShift + 1 }, (_, i) => i - augmentation.maxShift);
    const angles = augmentation.maxRotationDegrees === 0 ? [0] : Array.from({ length: 4001 }, (_, i) => ((i - 2000) / 2000) * augmentation.maxRotationDegrees);
    const candidate = new Float32Array(pixelsPerImage);
    // augmentInPlace draws the angle, then the x and y shifts, each as (r · 2 − 1) · its limit.
    const unit = (value: number, limit: number) => (limit === 0 ? 0.5 : (value / limit + 1) / 2);
    for (const angle of angles) {
      for (const dx of shifts) {
        for (const dy of shifts) {
          candidate.set(source);
          const draws = [unit(angle, augmentation.maxRotationDegrees), unit(dx, augmentation.maxShift), unit(dy, augmentation.maxShift)];
          augmentInPlace(candidate, 1, augmentation, () => draws.shift()!);
          if (candidate.every((v, i) => Math.abs(v - row[i]!) < 0.01)) return true;
        }
      }
    }
    return false;
  }

  it.each<[string, Augmentation]>([
    ['shifts', { maxShift: 2, maxRotationDegrees: 0 }],
    ['rotations', { maxShift: 0, maxRotationDegrees: 10 }],
  ])(
    'augments each image on the GPU as the CPU path does: %s',
    async (_name, augmentation) => {
      const { engine, model } = await engineFor(seedMlp, augmentation);
      model.dispose();
      engine.startEpoch(Uint32Array.from({ length: batch }, (_, i) => i));
      await engine.encodeSteps(1);
      const seen = await engine.readBatchInput();
      engine.dispose();
      const source = new Float32Array(batch * pixelsPerImage);
      normalizeImages(
        pixels,
        Array.from({ length: batch }, (_, i) => i),
        source,
      );
      const moved = Array.from({ length: batch }, (_, r) => {
        const row = seen.subarray(r * pixelsPerImage, (r + 1) * pixelsPerImage);
        const original = source.subarray(r * pixelsPerImage, (r + 1) * pixelsPerImage);
        expect(madeByAugmentation(original, row, augmentation), `image ${r}`).toBe(true);
        return original.some((v, i) => Math.abs(v - row[i]!) > 0.01);
      });
      // Not every image left where it was: an engine that does not augment fails.
      expect(moved.filter(Boolean).length).toBeGreaterThan(batch / 2);
    },
    120_000,
  );
});
