import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from './relativeError';
import { softwareWebGpuUnavailable } from './softwareWebGpu';
import { buildModel } from '../../main/worker/training/buildModel';
import { createBatchTrainer } from '../../main/worker/trainers/createBatchTrainer';
import { gpuErrorWatch } from '../../main/worker/trainers/gpu/gpuErrorWatch';
import { gpuTrainer } from '../../main/worker/trainers/gpu/gpuTrainer';
import { seededRandom } from '../../shared/training/seededRandom';
import { tryWebGpu } from '../../main/worker/backends/startWebGpu';
import { isReplaced } from '../../main/worker/kernels/kernelReplacement';
import type { LayerStack } from '../../shared/layers/layerSpec';
import type { Augmentation, OptimizerSettings } from '../../shared/training/trainingSettings';

// Our WebGPU kernels against the cpu backend, on the software adapter (softwareWebGpu.ts):
// slow, but exact, so within 1e-4.
const skipReason = softwareWebGpuUnavailable();
if (skipReason) console.log(`Skipping the WebGPU kernel tests: ${skipReason}`);

beforeAll(async () => {
  if (skipReason) return;
  const attempt = await tryWebGpu(true);
  expect(attempt.reason).toBeNull();
}, 60_000);

function randomValues(size: number, seed: number, scale = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: size }, () => (random() * 2 - 1) * scale);
}

/** Runs `compute` on a backend and reads its result (WebGPU reads back asynchronously). */
async function on(backend: 'cpu' | 'webgpu', compute: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const result = compute();
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

describe.skipIf(skipReason !== null)('WebGPU kernels equal the cpu backend', () => {
  it('replaces the stock filter gradient', () => {
    expect(isReplaced('webgpu', 'Conv2DBackpropFilter')).toBe(true);
  });

  // [images, input side, kernel, stride, in channels, out channels, padding]: odd tile edges
  // (taps and channels not multiples of 16), strides, both paddings, and one case of 9,248
  // positions, which takes the split-K path (18 splits).
  const cases: [number, number, number, number, number, number, 'valid' | 'same'][] = [
    [2, 9, 3, 1, 1, 5, 'valid'],
    [3, 10, 3, 2, 7, 19, 'same'],
    [2, 12, 5, 1, 3, 8, 'same'],
    [8, 36, 3, 1, 4, 16, 'valid'],
  ];
  it.each(cases)(
    'filter gradient: %i images of %i², kernel %i, stride %i, %i→%i channels, %s',
    async (n, side, k, stride, cin, cout, pad) => {
      const x = randomValues(n * side * side * cin, 1);
      const outSide = pad === 'same' ? Math.ceil(side / stride) : Math.floor((side - k) / stride) + 1;
      const dy = randomValues(n * outSide * outSide * cout, 2);
      const gradient = () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: tf.tensor4d(x, [n, side, side, cin]), dy: tf.tensor4d(dy, [n, outSide, outSide, cout]) },
            { strides: stride, pad, dataFormat: 'NHWC', filterShape: [k, k, cin, cout] },
          ) as tf.Tensor;
      const expected = await on('cpu', gradient);
      const actual = await on('webgpu', gradient);
      expect(actual.length).toBe(k * k * cin * cout);
      expect(relativeError(actual, expected)).toBeLessThan(1e-4);
    },
    60_000,
  );

  it("tfjs' GPU trainer (the engine's fallback) takes the same steps as trainOnBatch on the cpu backend, reading metrics only when asked", async () => {
    const layers: LayerStack = [
      { type: 'input', shape: [28, 28, 1] },
      { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ];
    const optimizer: OptimizerSettings = { type: 'adam', learningRate: 0.01 };
    const batches = [7, 8, 9].map((seed) => {
      const random = seededRandom(seed);
      const x = Float32Array.from({ length: 16 * 784 }, () => random());
      const y = new Float32Array(160);
      for (let i = 0; i < 16; i++) y[i * 10 + Math.floor(random() * 10)] = 1;
      return { x, y };
    });
    const train = async (backend: 'cpu' | 'webgpu') => {
      await tf.setBackend(backend);
      const model = buildModel(layers, optimizer, 11);
      const trainer =
        backend === 'webgpu'
          ? gpuTrainer(model, { optimizer, batchSize: 16 })
          : await createBatchTrainer(model, { layers, optimizer, seed: 11, backend, batchSize: 16, threads: 1 });
      const losses: number[] = [];
      for (const { x, y } of batches) {
        await trainer.step(x, y, 16);
        losses.push((await trainer.takeMetrics()).loss);
      }
      const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
      await trainer.dispose();
      model.dispose();
      return { losses, weights };
    };
    const cpu = await train('cpu');
    const gpu = await train('webgpu');
    for (let i = 0; i < cpu.losses.length; i++) expect(Math.abs(gpu.losses[i]! - cpu.losses[i]!) / cpu.losses[i]!).toBeLessThan(1e-4);
    for (let w = 0; w < cpu.weights.length; w++) expect(relativeError(gpu.weights[w]!, cpu.weights[w]!)).toBeLessThan(1e-4);
  }, 120_000);

  it('WebGPU training takes the engine where it trains the model (BatchNorm and augmentation too), and tfjs otherwise', async () => {
    await tf.setBackend('webgpu');
    const optimizer: OptimizerSettings = { type: 'adam', learningRate: 0.01 };
    const trainerFor = async (layers: LayerStack, augmentation: Augmentation | null = null) => {
      const model = buildModel(layers, optimizer, 11);
      const trainer = await createBatchTrainer(model, { layers, optimizer, seed: 11, backend: 'webgpu', batchSize: 8, threads: 1, augmentation });
      const resident = trainer.resident !== undefined;
      await trainer.dispose();
      model.dispose();
      return resident;
    };
    const small: LayerStack = [
      { type: 'input', shape: [28, 28, 1] },
      { type: 'conv2d', filters: 2, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ];
    expect(await trainerFor(small)).toBe(true);
    expect(await trainerFor(small, { maxShift: 2, maxRotationDegrees: 10 })).toBe(true);
    expect(await trainerFor([small[0]!, small[1]!, { type: 'batchNormalization' }, ...small.slice(2)])).toBe(true);
    expect(await trainerFor([small[0]!, small[1]!, { type: 'averagePooling2d', poolSize: 2, padding: 'same' }, ...small.slice(2)])).toBe(false);
  }, 120_000);
});

describe('a run that does not fit the GPU', () => {
  /** A device whose next scope reports `error` for the given filter. */
  function fakeDevice(failing: 'out-of-memory' | 'validation' | null, message: string) {
    const scopes: string[] = [];
    return {
      pushErrorScope: (filter: string) => void scopes.push(filter),
      popErrorScope: async () => (scopes.pop() === failing ? { message } : null),
    };
  }

  it('fails with a message naming the model size and the batch size', async () => {
    const what = 'the model (1,199,882 parameters) with batch size 4096';
    const outOfMemory = gpuErrorWatch(what, fakeDevice('out-of-memory', 'Failed to allocate'));
    await expect(outOfMemory.check()).rejects.toThrow(
      'the GPU ran out of memory training the model (1,199,882 parameters) with batch size 4096: lower the batch size or make the model smaller (Failed to allocate)',
    );
    const tooLarge = gpuErrorWatch(
      what,
      fakeDevice('validation', 'Buffer size (5368709120) exceeds the max buffer size limit (4294967296).\n - While calling CreateBuffer'),
    );
    await expect(tooLarge.check()).rejects.toThrow(
      'the GPU refused a step of the model (1,199,882 parameters) with batch size 4096; a buffer may exceed what the device allows, so lower the batch size (Buffer size (5368709120) exceeds the max buffer size limit (4294967296).)',
    );
    const fine = gpuErrorWatch(what, fakeDevice(null, ''));
    await expect(fine.check()).resolves.toBeUndefined();
  });
});
