import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { convolutionStep, convolve, dropout, flattenIndex, pool, poolingStep, type Grid } from '../../renderer/lib/convolutionSteps';
import { handKernels } from '../../renderer/lib/handKernels';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { seededRandom } from '../../shared/training/seededRandom';

let digit: Grid;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const { test } = await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()));
  digit = { values: Float32Array.from(test.pixels.subarray(0, 784), (p) => p / 255), height: 28, width: 28 };
});

const image4d = (grid: Grid) => tf.tensor4d(grid.values, [1, grid.height, grid.width, 1]);
const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe("the convolution step-through's arithmetic is tfjs' convolution, pixel by pixel", () => {
  it.each([
    ['a random 3×3 kernel, valid, ReLU', 3, 1, 'valid', true],
    ['a 5×5 kernel, stride 2, same padding, linear', 5, 2, 'same', false],
  ] as [string, number, number, 'valid' | 'same', boolean][])('%s', (_, k, stride, padding, relu) => {
    const random = seededRandom(k);
    const kernel = Float32Array.from({ length: k * k }, () => random() * 2 - 1);
    const bias = 0.125;
    const expected = tf.tidy(() => {
      const y = tf.add(tf.conv2d(image4d(digit), tf.tensor4d(kernel, [k, k, 1, 1]), stride, padding), bias);
      return (relu ? tf.relu(y) : y).dataSync();
    });
    const map = convolve(digit, kernel, bias, { kernel: k, stride, padding }, relu);
    expect(map.values.length).toBe(expected.length);
    expect(maxDifference(map.values, expected)).toBeLessThan(1e-5);
    // Every position's products add up, with the bias, to that pixel of the map.
    for (let r = 0; r < map.height; r++)
      for (let c = 0; c < map.width; c++) {
        const step = convolutionStep(digit, kernel, bias, { kernel: k, stride, padding }, relu, r, c);
        const total = step.products.reduce((a, b) => a + b, 0) + bias;
        expect(Math.abs((relu ? Math.max(0, total) : total) - expected[r * map.width + c]!)).toBeLessThan(1e-5);
      }
  });

  it('a hand-picked vertical-edge kernel lights up the strokes of a real digit', () => {
    const map = convolve(digit, Float32Array.from(handKernels.verticalEdges), 0, { kernel: 3, stride: 1, padding: 'valid' }, true);
    expect(Math.max(...map.values)).toBeGreaterThan(1);
    expect(map.values.filter((v) => v === 0).length).toBeGreaterThan(map.values.length / 2);
  });
});

describe('the pooling, dropout and flatten step-throughs compute what tfjs computes', () => {
  it('2×2 max and average pooling, window by window', () => {
    const map = convolve(digit, Float32Array.from(handKernels.outline), 0, { kernel: 3, stride: 1, padding: 'valid' }, true);
    const pooled = pool(map, 2, 2);
    const x = image4d(map);
    expect(maxDifference(pooled.max.values, tf.maxPool(x, 2, 2, 'valid').dataSync())).toBe(0);
    expect(maxDifference(pooled.average.values, tf.avgPool(x, 2, 2, 'valid').dataSync())).toBeLessThan(1e-6);
    const step = poolingStep(map, 2, 2, 6, 7);
    expect(step.values).toEqual([map.values[12 * 26 + 14], map.values[12 * 26 + 15], map.values[13 * 26 + 14], map.values[13 * 26 + 15]]);
    expect(step.values[step.maxAt]).toBe(step.max);
  });

  it('dropout zeroes what tfjs zeroes and scales the rest by 1 / (1 − rate)', () => {
    const values = digit.values;
    const rate = 0.25;
    const expected = tf.dropout(tf.tensor1d(values), rate, undefined, 7).dataSync();
    // The same mask as tfjs drew: kept where its output is not zero (or the input was zero).
    const keptByTfjs = Array.from(expected, (v, i) => v !== 0 || values[i] === 0);
    let i = 0;
    const result = dropout(values, rate, () => (keptByTfjs[i++] ? 0.99 : 0));
    expect(result.scale).toBeCloseTo(4 / 3, 6);
    expect(maxDifference(result.output, expected)).toBeLessThan(1e-6);
    const share = dropout(new Float32Array(10_000).fill(1), rate, seededRandom(3)).kept.filter((k) => !k).length / 10_000;
    expect(Math.abs(share - rate)).toBeLessThan(0.02);
  });

  it('flatten lays channels fastest, then columns, then rows, as tf.reshape does', () => {
    const shape = [3, 4, 5] as const;
    const values = Float32Array.from({ length: 60 }, (_, i) => i * 1.5);
    const flat = tf.reshape(tf.tensor3d(values, [...shape]), [60]).dataSync();
    const nested = tf.tensor3d(values, [...shape]).arraySync();
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) for (let k = 0; k < 5; k++) expect(flat[flattenIndex(r, c, k, 4, 5)]).toBe(nested[r]![c]![k]);
  });
});
