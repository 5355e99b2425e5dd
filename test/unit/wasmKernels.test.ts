import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from './relativeError';
import { registerFastWasmKernels } from '../../main/worker/kernels/wasm/registerFastWasmKernels';
import { buildModel } from '../../main/worker/training/buildModel';
import { findPreset } from '../../shared/layers/presets';
import { seededRandom } from '../../shared/training/seededRandom';

// The wasm kernels must give the cpu backend's numbers: every gradient and matmul here is
// computed on both from the same inputs and compared by relative error.

beforeAll(async () => {
  registerFastWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

function randomValues(size: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: size }, () => random() * 2 - 1);
}

async function onBackend<T>(backend: 'cpu' | 'wasm', compute: () => T): Promise<T> {
  await tf.setBackend(backend);
  return compute();
}

/** Gradients of sum(conv2d(x, w) ⊙ r) with respect to x and w. */
function convGradients(xShape: number[], wShape: number[], strides: number, pad: 'valid' | 'same') {
  const x = tf.tensor4d(
    randomValues(
      xShape.reduce((a, b) => a * b),
      1,
    ),
    xShape as [number, number, number, number],
  );
  const w = tf.tensor4d(
    randomValues(
      wShape.reduce((a, b) => a * b),
      2,
    ),
    wShape as [number, number, number, number],
  );
  const outShape = tf.conv2d(x, w, strides, pad).shape;
  const r = tf.tensor(
    randomValues(
      outShape.reduce((a, b) => a * b),
      3,
    ),
    outShape,
  );
  const [dx, dw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, strides, pad), r)))([x, w]);
  const result = { dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
  tf.dispose([x, w, r, dx!, dw!]);
  return result;
}

describe('Conv2D gradients on wasm equal the cpu backend', () => {
  const cases: [number, number, number, number, 'valid' | 'same'][] = [];
  for (const kernel of [1, 2, 3, 5, 7]) for (const stride of [1, 2]) for (const pad of ['valid', 'same'] as const) cases.push([kernel, stride, 3, 5, pad]);
  cases.push([3, 1, 1, 32, 'valid'], [3, 1, 32, 64, 'valid'], [3, 1, 16, 16, 'same'], [4, 2, 6, 10, 'same']);

  it.each(cases)('kernel %i, stride %i, %i→%i channels, %s padding', async (kernel, stride, cin, cout, pad) => {
    const xShape = [3, 13, 11, cin];
    const wShape = [kernel, kernel, cin, cout];
    const expected = await onBackend('cpu', () => convGradients(xShape, wShape, stride, pad));
    const actual = await onBackend('wasm', () => convGradients(xShape, wShape, stride, pad));
    expect(relativeError(actual.dw, expected.dw)).toBeLessThan(1e-4);
    expect(relativeError(actual.dx, expected.dx)).toBeLessThan(1e-4);
  });
});

describe('conv2dTranspose with an output shape its input does not imply (tfjs op test regression)', () => {
  it.each([1, 2])('returns the output shape and the cpu backend values, stride %i', async (stride) => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(randomValues(8 * 8 * 8, 7), [1, 8, 8, 8]);
        const w = tf.tensor4d(randomValues(8 * 8 * 8 * 8, 8), [8, 8, 8, 8]);
        const y = tf.conv2dTranspose(x, w, [1, 4, 4, 8], stride, 'same');
        return { shape: y.shape, values: y.dataSync() as Float32Array };
      });
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(actual.shape).toEqual([1, 4, 4, 8]);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-4);
  });
});

describe('a fused matmul of one matrix with a 2-D bias', () => {
  it('equals the cpu backend', async () => {
    const run = () =>
      tf.tidy(() => {
        const a = tf.tensor2d(randomValues(6, 9), [2, 3]);
        const b = tf.tensor2d(randomValues(12, 10), [3, 4]);
        const bias = tf.tensor2d(randomValues(8, 11), [2, 4]);
        return tf.fused.matMul({ a, b, bias, activation: 'relu' }).dataSync() as Float32Array;
      });
    expect(relativeError(await onBackend('wasm', run), await onBackend('cpu', run))).toBeLessThan(1e-5);
  });
});

describe('the filter gradient over many images, summed over blocks of positions', () => {
  it('equals the cpu backend for 9 images of 26×26 (several blocks)', async () => {
    const expected = await onBackend('cpu', () => convGradients([9, 26, 26, 4], [3, 3, 4, 6], 1, 'valid'));
    const actual = await onBackend('wasm', () => convGradients([9, 26, 26, 4], [3, 3, 4, 6], 1, 'valid'));
    expect(relativeError(actual.dw, expected.dw)).toBeLessThan(1e-4);
  });
});

describe('matmul with transposed operands on wasm equals the cpu backend', () => {
  const shapes: [number[], number[], boolean, boolean][] = [
    [[37, 53], [53, 29], false, false],
    [[53, 37], [53, 29], true, false],
    [[37, 53], [29, 53], false, true],
    [[53, 37], [29, 53], true, true],
    [[4, 53, 37], [4, 53, 29], true, false],
    [[2, 37, 53], [2, 29, 53], false, true],
  ];
  it.each(shapes)('%j × %j (transposeA %s, transposeB %s)', async (aShape, bShape, transposeA, transposeB) => {
    const compute = () => {
      const a = tf.tensor(
        randomValues(
          aShape.reduce((x, y) => x * y),
          4,
        ),
        aShape,
      );
      const b = tf.tensor(
        randomValues(
          bShape.reduce((x, y) => x * y),
          5,
        ),
        bShape,
      );
      const c = tf.matMul(a, b, transposeA, transposeB);
      const fused = tf.fused.matMul({ a, b, transposeA, transposeB, activation: 'relu' });
      const result = { plain: c.dataSync() as Float32Array, fused: fused.dataSync() as Float32Array, shape: c.shape };
      tf.dispose([a, b, c, fused]);
      return result;
    };
    const expected = await onBackend('cpu', compute);
    const actual = await onBackend('wasm', compute);
    expect(actual.shape).toEqual(expected.shape);
    expect(relativeError(actual.plain, expected.plain)).toBeLessThan(1e-4);
    expect(relativeError(actual.fused, expected.fused)).toBeLessThan(1e-4);
  });
});

describe('pooling gradients and bias sums on wasm equal the cpu backend', () => {
  const poolCases: [number, number, 'valid' | 'same'][] = [
    [2, 2, 'valid'],
    [2, 2, 'same'],
    [3, 3, 'valid'],
    [3, 2, 'same'],
  ];
  it.each(poolCases)('max pooling window %i, stride %i, %s padding', async (size, stride, pad) => {
    const compute = () => {
      // ReLU-like input with many exact zeros, so ties inside a window are decided too.
      const x = tf.relu(tf.tensor4d(randomValues(2 * 13 * 11 * 5, 8), [2, 13, 11, 5]));
      const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, size, stride, pad), 3)))(x);
      const result = dx.dataSync() as Float32Array;
      tf.dispose([x, dx]);
      return result;
    };
    const expected = await onBackend('cpu', compute);
    const actual = await onBackend('wasm', compute);
    expect(relativeError(actual, expected)).toBeLessThan(1e-4);
  });

  it.each([
    [
      [3, 7, 5, 6],
      [0, 1, 2],
    ],
    [[50, 10], [0]],
    [[4, 5, 6], [1]],
    [
      [4, 5, 6],
      [0, 1, 2],
    ],
  ] as [number[], number[]][])('sum of %j over axes %j', async (shape, axes) => {
    const compute = () => {
      const x = tf.tensor(
        randomValues(
          shape.reduce((a, b) => a * b),
          9,
        ),
        shape,
      );
      const sum = tf.sum(x, axes);
      const kept = tf.sum(x, axes, true);
      const result = { sum: sum.dataSync() as Float32Array, shape: sum.shape, keptShape: kept.shape };
      tf.dispose([x, sum, kept]);
      return result;
    };
    const expected = await onBackend('cpu', compute);
    const actual = await onBackend('wasm', compute);
    expect(actual.shape).toEqual(expected.shape);
    expect(actual.keptShape).toEqual(expected.keptShape);
    expect(relativeError(actual.sum, expected.sum)).toBeLessThan(1e-4);
  });
});

describe('tile on wasm', () => {
  it('tiles string tensors, on which the stock kernel aborts, as the cpu backend does', async () => {
    const tile = () => tf.tile(tf.tensor2d(['a', 'b', 'c', 'd'], [2, 2]), [2, 3]).arraySync();
    expect(await onBackend('wasm', tile)).toEqual(await onBackend('cpu', tile));
    await tf.setBackend('wasm');
  });
});

describe('BatchNorm training on wasm equals the cpu backend', () => {
  it('gives the same gradients through batch statistics (mean, tile, sums)', async () => {
    const compute = () => {
      const x = tf.tensor4d(randomValues(6 * 7 * 5 * 8, 11), [6, 7, 5, 8]);
      const scale = tf.tensor1d(randomValues(8, 12));
      const r = tf.tensor4d(randomValues(6 * 7 * 5 * 8, 13), [6, 7, 5, 8]);
      const offset = tf.tensor1d(randomValues(8, 14));
      const f = (xx: tf.Tensor, ss: tf.Tensor) => {
        const { mean, variance } = tf.moments(xx, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(xx as tf.Tensor4D, mean, variance, offset, ss as tf.Tensor1D, 1e-3), r));
      };
      const [dx, ds] = tf.grads(f)([x, scale]);
      const tiled = tf.tile(tf.reshape(scale, [1, 1, 1, 8]), [6, 7, 5, 1]);
      const oddTile = tf.tile(tf.reshape(scale, [2, 4]), [3, 2]);
      const result = {
        dx: dx!.dataSync() as Float32Array,
        ds: ds!.dataSync() as Float32Array,
        tiled: tiled.dataSync() as Float32Array,
        oddTile: oddTile.dataSync() as Float32Array,
        mean: tf.mean(x, [0, 1, 2]).dataSync() as Float32Array,
      };
      tf.dispose([x, scale, r, offset, dx!, ds!, tiled, oddTile]);
      return result;
    };
    const expected = await onBackend('cpu', compute);
    const actual = await onBackend('wasm', compute);
    for (const key of ['dx', 'ds', 'tiled', 'oddTile', 'mean'] as const) expect(relativeError(actual[key], expected[key])).toBeLessThan(1e-4);
  });
});

describe('a seed-cnn training step', () => {
  it('gives the same losses on wasm and cpu from the same weights', async () => {
    const preset = findPreset('seed-cnn')!;
    const n = 8;
    const xs = randomValues(n * 784, 6).map((v) => (v + 1) / 2);
    const labels = Array.from({ length: n }, (_, i) => i % 10);
    const step = async () => {
      const model = buildModel(preset.layers, preset.settings.optimizer, 7);
      const x = tf.tensor4d(xs, [n, 28, 28, 1]);
      const y = tf.cast(tf.oneHot(labels, 10), 'float32');
      const losses: number[] = [];
      for (let i = 0; i < 2; i++) losses.push(((await model.trainOnBatch(x, y)) as number[])[0]!);
      tf.dispose([x, y]);
      model.dispose();
      return losses;
    };
    await tf.setBackend('cpu');
    const expected = await step();
    await tf.setBackend('wasm');
    const actual = await step();
    for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!) / expected[i]!).toBeLessThan(1e-4);
    // The cpu backend's convolution gradients take most of a minute alone, and several beside another training test.
  }, 360_000);
});
