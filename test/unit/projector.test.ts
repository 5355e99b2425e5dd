import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerActivations, projectableLayers } from '../../renderer/api/model/modelAnalysis';
import { fitToSquare } from '../../renderer/lib/projection/fitToSquare';
import { principalComponents } from '../../renderer/lib/projection/pca';
import { nearestPoint, pointsInLasso } from '../../renderer/lib/projection/pointPicking';
import { defaultProjectedLayer } from '../../renderer/lib/projection/projectableLayer';
import { fittedView, onCanvas, zoomedView } from '../../renderer/lib/projection/viewTransform';
import { seededRandom } from '../../shared/training/seededRandom';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('PCA', () => {
  it('finds the directions of largest spread: points on a tilted plane in 5-D come back as that plane', () => {
    const random = seededRandom(7);
    const count = 400;
    const u = [1, 2, 0, -1, 0].map((x) => x / Math.sqrt(6));
    const w = [0, 0, 1, 0, 1].map((x) => x / Math.sqrt(2));
    const values = new Float32Array(count * 5);
    for (let i = 0; i < count; i++) {
      const a = (random() - 0.5) * 10;
      const b = (random() - 0.5) * 3;
      for (let j = 0; j < 5; j++) values[i * 5 + j] = 4 + a * u[j]! + b * w[j]! + (random() - 0.5) * 0.01;
    }
    const points = principalComponents(values, count, 5);
    // On a plane, two components hold all the spread, the first the most, and they are uncorrelated.
    const variance = (get: (i: number) => number) => {
      const mean = Array.from({ length: count }, (_, i) => get(i)).reduce((x, y) => x + y, 0) / count;
      return Array.from({ length: count }, (_, i) => (get(i) - mean) ** 2).reduce((x, y) => x + y, 0) / count;
    };
    const total = [0, 1, 2, 3, 4].reduce((sum, j) => sum + variance((i) => values[i * 5 + j]!), 0);
    const first = variance((i) => points[i * 2]!);
    const second = variance((i) => points[i * 2 + 1]!);
    expect(first + second).toBeCloseTo(total, 3);
    expect(first).toBeGreaterThan(second * 4);
    const covariance = Array.from({ length: count }, (_, i) => points[i * 2]! * points[i * 2 + 1]!).reduce((x, y) => x + y, 0) / count;
    expect(Math.abs(covariance)).toBeLessThan(1e-3 * first);
  });

  it('refuses values that are not count × features', () => {
    expect(() => principalComponents(new Float32Array(10), 3, 4)).toThrow('expected 3 × 4 values, got 10');
  });
});

describe('placing, picking and lassoing points', () => {
  it('fits any picture into the unit square, centred, keeping its aspect ratio', () => {
    expect(Array.from(fitToSquare(Float32Array.from([10, 5, 30, 5, 20, 10])))).toEqual([0, 0.375, 1, 0.375, 0.5, 0.625]);
  });

  it('picks the point under the pointer, within its radius, after zooming about the pointer', () => {
    const points = Float32Array.from([0.1, 0.1, 0.5, 0.5, 0.52, 0.5]);
    const view = fittedView(224, 224);
    const [x, y] = onCanvas(view, points, 1);
    expect(nearestPoint(view, points, x - 1, y, 8)).toBe(1);
    expect(nearestPoint(view, points, x, y + 30, 8)).toBeNull();
    const zoomed = zoomedView(view, 8, x, y);
    // The point under the pointer stays there, and its neighbour moves away from it.
    expect(onCanvas(zoomed, points, 1)).toEqual([expect.closeTo(x, 6), expect.closeTo(y, 6)]);
    expect(onCanvas(zoomed, points, 2)[0] - x).toBeCloseTo(8 * (onCanvas(view, points, 2)[0] - x), 6);
  });

  it('takes exactly the points inside a lasso', () => {
    const points = Float32Array.from([0.1, 0.1, 0.5, 0.5, 0.6, 0.4, 0.9, 0.9]);
    const view = { scale: 100, offsetX: 0, offsetY: 0 };
    const triangle: [number, number][] = [
      [40, 30],
      [80, 30],
      [40, 70],
    ];
    expect(pointsInLasso(view, points, triangle)).toEqual([1, 2]);
    expect(pointsInLasso(view, points, triangle.slice(0, 2))).toEqual([]);
  });
});

describe("a model's layers for the projector", () => {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 6, activation: 'relu' }),
      tfl.layers.dropout({ rate: 0.5 }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });

  it('offers every hidden layer with its size, and opens on the last one that is not a dropout', () => {
    const layers = projectableLayers(model);
    expect(layers.map((l) => [l.className, l.features])).toEqual([
      ['Conv2D', 26 * 26 * 2],
      ['Flatten', 26 * 26 * 2],
      ['Dense', 6],
      ['Dropout', 6],
    ]);
    expect(defaultProjectedLayer(layers)?.name).toBe(layers[2]!.name);
  });

  it("gives a layer's outputs for each image, as the model computes them, and refuses a layer it does not have", () => {
    const pixels = Uint8Array.from({ length: 3 * 784 }, (_, i) => (i * 37) % 256);
    const dense = model.layers[2]!;
    const values = layerActivations(model, dense.name, pixels, 2);
    expect(values).toHaveLength(3 * 6);
    const probe = tfl.model({ inputs: model.inputs, outputs: dense.output as tfl.SymbolicTensor });
    const expected = (
      probe.predict(
        tf.tensor4d(
          Float32Array.from(pixels, (p) => p / 255),
          [3, 28, 28, 1],
        ),
      ) as tf.Tensor
    ).dataSync();
    for (let i = 0; i < values.length; i++) expect(values[i]).toBeCloseTo(expected[i]!, 5);
    expect(() => layerActivations(model, 'no_such_layer', pixels)).toThrow('the model has no hidden layer named "no_such_layer"');
    expect(() => layerActivations(model, model.layers.at(-1)!.name, pixels)).toThrow(/has no hidden layer named/);
  });
});
