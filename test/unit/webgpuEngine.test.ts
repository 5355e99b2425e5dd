import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { webGpuDevice } from '../../main/worker/backends/startWebGpu';
import { planEngine, stepFlops, type EnginePlan } from '../../main/worker/engine/enginePlan';
import { WebGpuEngine } from '../../main/worker/engine/webgpuEngine';
import { buildModel } from '../../main/worker/training/buildModel';
import { findPreset } from '../../shared/layers/presets';
import {
  label,
  mixed,
  normalised,
  optimizers,
  seedMlp,
  smallCnn,
  windows,
  casesOf,
  engineSkipReason,
  itMatchesTfjs,
  useEngineImages,
  type Run,
} from './engineAgainstTfjs';

// The WebGPU engine's plan, and its steps against tfjs on the cpu backend (engineAgainstTfjs.ts
// says how) on the seed MLP and small stacks that reach every kernel; the full models, the
// BatchNorm CNN, evaluation and augmentation are in webgpuEngineModels.test.ts.

const skipReason = engineSkipReason();

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

describe.skipIf(skipReason !== null)('the WebGPU engine', () => {
  const batch = 16;
  const steps = 5;
  const images = useEngineImages(batch * steps);

  // Every optimiser on the seed MLP; the activations and the dropout path once (they meet the
  // optimiser only through the gradients, which the seed MLP's rows already check). The
  // convolution families each take two, so that every optimiser meets a CNN and BatchNorm meets
  // both adaptive ones (which turn noise into steps), while npm test stays in its time: Adam and
  // plain SGD on the seed CNN's layers here; Adam and RMSprop on the deep CNN's, and momentum on
  // both full models, in webgpuEngineModels.test.ts.
  const five: Run = { batch, steps };
  itMatchesTfjs(
    [
      ...casesOf('the seed MLP', seedMlp, optimizers, () => ({ ...five, maxDispatches: 12 })),
      ['every activation and a dropout', label(optimizers[0]!), mixed, optimizers[0]!, five],
      ...casesOf("the seed CNN's layers, fewer channels", smallCnn, [optimizers[0]!, optimizers[1]!], () => ({ batch: 8, steps: 5 })),
      ['batch norm on flat values and first, a standalone activation', label(optimizers[0]!), normalised, optimizers[0]!, five],
      ['strides, same padding and average pooling', label(optimizers[2]!), windows, optimizers[2]!, { batch: 8, steps: 3 }],
    ],
    images,
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
    engine.setData(images().pixels, images().labels);
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
