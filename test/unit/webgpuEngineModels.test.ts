import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { relativeError } from './relativeError';
import { webGpuDevice } from '../../main/worker/backends/startWebGpu';
import { planEngine, type EnginePlan } from '../../main/worker/engine/enginePlan';
import { WebGpuEngine } from '../../main/worker/engine/webgpuEngine';
import { normalizeImages } from '../../main/worker/training/batchAssembly';
import { augmentInPlace } from '../../shared/training/augmentation';
import { buildModel } from '../../main/worker/training/buildModel';
import type { LayerStack } from '../../shared/layers/layerSpec';
import { classCount, pixelsPerImage } from '../../shared/mnist';
import type { Augmentation, OptimizerSettings } from '../../shared/training/trainingSettings';
import { deepCnn, label, optimizers, seedCnn, seedMlp, smallDeepCnn, casesOf, engineSkipReason, itMatchesTfjs, useEngineImages } from './engineAgainstTfjs';

// The WebGPU engine on the full seed and deep CNNs and the deep CNN's layers (BatchNorm) against
// tfjs on the cpu backend (engineAgainstTfjs.ts says how), its evaluation against tfjs'
// predictions, and its augmentation against the CPU path's.

const skipReason = engineSkipReason();

describe.skipIf(skipReason !== null)('the WebGPU engine on whole models', () => {
  const batch = 16;
  const images = useEngineImages(batch * 5);

  itMatchesTfjs(
    [
      // Adam needs the larger batch: at 4, a few dense weights see only near-zero gradients, which it turns into full steps.
      ...casesOf("the deep CNN's layers (BatchNorm), fewer channels", smallDeepCnn, [optimizers[0]!, optimizers[3]!], (optimizer) => ({
        batch: optimizer.type === 'adam' ? 8 : 4,
        steps: 5,
      })),
      // Adam moves a weight by about its learning rate whatever the size of its gradient, so where
      // one of the 1.2 million gradients is rounding noise (1e-9 against 0) the two implementations
      // part by more than 1e-4; momentum takes steps in proportion, so the full model is checked with it.
      ['the seed CNN itself, in at most 40 dispatches a step', label(optimizers[2]!), seedCnn, optimizers[2]!, { batch: 2, steps: 2, maxDispatches: 40 }],
      // At batch 2 the deep CNN's batch statistics are so rough that a step at the others' rate makes the loss explode
      // (2.9 to 16), and past that, rounding decides which ReLUs and pooling windows pass a gradient.
      ['the deep CNN itself', 'sgd, momentum 0.9, rate 0.002', deepCnn, { type: 'sgd', learningRate: 0.002, momentum: 0.9 }, { batch: 2, steps: 2 }],
    ],
    images,
  );

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
    engine.setData(images().pixels, images().labels);
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
    const probabilities = await engine.evaluate(images().pixels, count);
    engine.dispose();
    model.setWeights(weights.map((w, i) => tf.tensor(w, plan.parameters[i]!.shape)));
    const x = new Float32Array(count * pixelsPerImage);
    normalizeImages(
      images().pixels,
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
        images().pixels,
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
