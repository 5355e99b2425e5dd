import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from './relativeError';
import { registerFastWasmKernels } from '../../main/worker/kernels/wasm/registerFastWasmKernels';
import { nativeKernelFlavour, takeKernelsRun, useNativeKernelFlavour, type WasmSimdFlavour } from '../../main/worker/kernels/wasm/native/nativeKernels';
import { seededRandom } from '../../shared/training/seededRandom';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { normalizeImages } from '../../main/worker/training/batchAssembly';

// Our C kernels (main/worker/kernels/wasm/native) against the cpu backend, in both builds: plain
// SIMD and relaxed SIMD (fused multiply-add). Tolerances are relative to the largest expected
// value; Winograd F(2×2, 3×3) adds transforms whose fp32 rounding the direct convolution does not
// have: measured at 3e-7–1.7e-6 on these shapes (2026-12-02; the cpu backend's own float32 sums err
// about as much), so 2e-5 leaves room without letting a wrong tap or tile through (those err by 1e-1 or more).

const winogradTolerance = 2e-5;
const exactTolerance = 1e-6;

beforeAll(async () => {
  registerFastWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

const flavours: WasmSimdFlavour[] = ['SIMD', 'relaxed SIMD'];

function values(shape: number[], seed: number, relu = false): tf.Tensor {
  const random = seededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  // ReLU-like inputs have exact zeros, so max pooling's ties are decided too.
  return tf.tensor(
    Float32Array.from({ length: size }, () => (relu ? Math.max(0, random() * 2 - 1) : random() * 2 - 1)),
    shape,
  );
}

/** `compute` on the cpu backend and on wasm with each build: the largest relative error per build. */
async function errorsAgainstCpu(compute: () => tf.Tensor[]): Promise<number[]> {
  const run = () => {
    const outputs = compute();
    const data = outputs.map((t) => t.dataSync() as Float32Array);
    tf.dispose(outputs);
    return data;
  };
  await tf.setBackend('cpu');
  const expected = run();
  await tf.setBackend('wasm');
  const errors: number[] = [];
  for (const flavour of flavours) {
    useNativeKernelFlavour(flavour);
    expect(nativeKernelFlavour()).toBe(flavour);
    const actual = run();
    errors.push(Math.max(...actual.map((a, i) => relativeError(a, expected[i]!))));
  }
  return errors;
}

type Padding = 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]];
const convolutionCases: [string, number[], number, Padding][] = [
  ['the seed CNN second layer (2 images)', [2, 26, 26, 32], 64, 'valid'],
  ['same padding, odd sizes (border tiles)', [3, 13, 11, 8], 12, 'same'],
  [
    'explicit uneven padding',
    [2, 9, 10, 16],
    8,
    [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  ],
  ['more tiles than one block', [9, 28, 28, 8], 8, 'same'],
];

describe('Winograd F(2×2, 3×3) convolutions equal the cpu backend, in both SIMD builds', () => {
  it.each(convolutionCases)('forward, fused bias and ReLU, input and filter gradients: %s', async (_, xShape, cout, pad) => {
    const errors = await errorsAgainstCpu(() => {
      const x = values(xShape, 1) as tf.Tensor4D;
      const w = tf.mul(values([3, 3, xShape[3]!, cout], 2), 0.3) as tf.Tensor4D;
      const bias = values([cout], 3) as tf.Tensor1D;
      const y = tf.conv2d(x, w, 1, pad);
      const fused = tf.fused.conv2d({ x, filter: w, strides: 1, pad, bias, activation: 'relu' });
      const r = values(y.shape, 4);
      const [dx, dw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, pad), r)))([x, w]);
      return [y, fused, dx!, dw!];
    });
    for (const error of errors) expect(error).toBeLessThan(winogradTolerance);
  });
});

describe('the other native kernels equal the cpu backend, in both SIMD builds', () => {
  it.each([
    [[2, 24, 24, 64], 2, 'valid'],
    [[3, 13, 11, 8], 2, 'valid'],
    [[3, 13, 11, 8], 2, 'same'],
    [[2, 12, 12, 4], 3, 'valid'],
  ] as [number[], number, 'valid' | 'same'][])('max pooling gradient of %j, window and stride %i, %s padding', async (shape, size, pad) => {
    const errors = await errorsAgainstCpu(() => {
      const x = values(shape, 5, true) as tf.Tensor4D;
      return [tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, size, size, pad), values(tf.maxPool(x, size, size, pad).shape, 6))))(x)];
    });
    for (const error of errors) expect(error).toBe(0);
  });

  it.each([
    [
      [200, 24, 24, 8],
      [0, 1, 2],
    ],
    [
      [7, 5, 3, 64],
      [0, 1, 2],
    ],
    [[130, 12], [0]],
  ] as [number[], number[]][])('sum and mean of %j over %j (bias gradients, batch statistics)', async (shape, axes) => {
    const errors = await errorsAgainstCpu(() => {
      const x = values(shape, 7);
      return [tf.sum(x, axes), tf.mean(x, axes, true)];
    });
    for (const error of errors) expect(error).toBeLessThan(exactTolerance * 10);
  });

  it.each([
    [[200, 784], [784, 512], false, false],
    [[200, 784], [200, 512], true, false],
    [[200, 128], [9216, 128], false, true],
    [[37, 301], [77, 301], false, true],
    [[301, 37], [301, 77], true, false],
    [[301, 37], [77, 301], true, true],
  ] as [number[], number[], boolean, boolean][])('matrix product %j × %j (transposeA %s, transposeB %s)', async (aShape, bShape, transposeA, transposeB) => {
    // 37 rows and 77 columns leave partial blocks of 4 rows and 8 columns; 301 is more than one block of depth.
    const errors = await errorsAgainstCpu(() => [tf.matMul(values(aShape, 11) as tf.Tensor2D, values(bShape, 12) as tf.Tensor2D, transposeA, transposeB)]);
    for (const error of errors) expect(error).toBeLessThan(exactTolerance * 10);
  });

  it.each([
    [[4, 28, 28, 1], 32, 'valid'],
    [[3, 13, 11, 1], 8, 'same'],
  ] as [number[], number, 'valid' | 'same'][])('filter gradient of a 3×3 convolution over one channel, %j → %i, %s padding', async (xShape, cout, pad) => {
    const errors = await errorsAgainstCpu(() => {
      const x = values(xShape, 8) as tf.Tensor4D;
      const w = values([3, 3, 1, cout], 9) as tf.Tensor4D;
      const r = values(tf.conv2d(x, w, 1, pad).shape, 10);
      return [tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, ww as tf.Tensor4D, 1, pad), r)))(w)];
    });
    for (const error of errors) expect(error).toBeLessThan(exactTolerance * 10);
  });

  describe('the sparse matrix product skips the zeros of real MNIST images and equals the dense product', () => {
    let images: (count: number, pixels?: number) => tf.Tensor2D;
    beforeAll(async () => {
      const { test } = await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()));
      images = (count, pixels = 784) => {
        const x = new Float32Array(count * 784);
        normalizeImages(
          test.pixels,
          Array.from({ length: count }, (_, i) => i),
          x,
        );
        return tf.slice(tf.tensor2d(x, [count, 784]), [0, 0], [count, pixels]);
      };
      takeKernelsRun();
    });

    it.each([
      ['the seed MLP first layer, forward', 200, 784, [784, 512], false],
      ['its weight gradient, imagesᵀ · dY', 200, 784, [200, 512], true],
      ['columns past the last 32 (77 = 2 × 32 + 13), forward', 37, 300, [300, 77], false],
      ['the same, transposed', 37, 300, [37, 77], true],
    ] as [string, number, number, number[], boolean][])('%s', async (_, count, pixels, bShape, transposeA) => {
      const errors = await errorsAgainstCpu(() => [tf.matMul(images(count, pixels), values(bShape, 13) as tf.Tensor2D, transposeA)]);
      expect(takeKernelsRun()).toContain('sparse matrix product (zeros skipped)');
      for (const error of errors) expect(error).toBeLessThan(exactTolerance * 10);
    });

    it('leaves a product to the dense kernel when the other operand is not finite, so NaN still spreads as 0 · NaN does', () => {
      const x = images(8);
      const firstPixelZero = (x.arraySync() as number[][]).every((row) => row[0] === 0);
      expect(firstPixelZero).toBe(true);
      const w = values([784, 64], 14).bufferSync();
      w.set(NaN, 0, 5);
      const product = tf.matMul(x, w.toTensor() as tf.Tensor2D).arraySync() as number[][];
      expect(takeKernelsRun()).not.toContain('sparse matrix product (zeros skipped)');
      expect(product.every((row) => Number.isNaN(row[5]) && !Number.isNaN(row[4]))).toBe(true);
    });
  });
});
