import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureMaps, firstKernels, saliencyMap } from '../../renderer/api/model/modelAnalysis';
import { imagesInCell, mistakes, perClassMetrics, rowRates } from '../../shared/metrics/perClassMetrics';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('per-class metrics from a known confusion matrix', () => {
  // 3 of digit 0 (2 right, 1 read as 1), 2 of digit 1 (both right), nothing else.
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  confusion[0]![0] = 2;
  confusion[0]![1] = 1;
  confusion[1]![1] = 2;

  it('gives precision, recall and one-vs-rest accuracy per digit', () => {
    const [zero, one, two] = perClassMetrics(confusion);
    expect(zero).toEqual({ digit: 0, precision: 1, recall: 2 / 3, accuracy: 4 / 5, support: 3 });
    expect(one).toEqual({ digit: 1, precision: 2 / 3, recall: 1, accuracy: 4 / 5, support: 2 });
    expect(two).toEqual({ digit: 2, precision: null, recall: null, accuracy: 1, support: 0 });
    expect(rowRates(confusion)[0]!.slice(0, 2)).toEqual([2 / 3, 1 / 3]);
  });

  it('lists the images of a cell and the mistakes with their confidence', () => {
    const labels = Uint8Array.from([0, 0, 0, 1, 1]);
    const predicted = Uint8Array.from([0, 1, 0, 1, 1]);
    const probabilities = new Float32Array(50).fill(0.05);
    probabilities[1 * 10 + 1] = 0.7;
    expect(imagesInCell(labels, predicted, 0, 1)).toEqual([1]);
    expect(mistakes(labels, predicted, (i) => probabilities[i * 10 + predicted[i]!]!)).toEqual([
      { index: 1, actual: 0, predicted: 1, confidence: expect.closeTo(0.7, 5) },
    ]);
  });
});

describe('saliency, feature maps and kernels', () => {
  it('the saliency of a linear model is its weights for the class: the analytic gradient', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.flatten({ inputShape: [28, 28, 1] }), tfl.layers.dense({ units: 10, activation: 'linear', useBias: true })],
    });
    const weights = Float32Array.from({ length: 7840 }, (_, i) => Math.sin(i));
    model.layers[1]!.setWeights([tf.tensor2d(weights, [784, 10]), tf.zeros([10])]);
    const pixels = Uint8Array.from({ length: 784 }, (_, i) => i % 256);
    const gradient = saliencyMap([model], pixels, 3);
    // d(x·W[:, 3]) / dx = W[:, 3]: the input is scaled by 1/255 inside, so the gradient with respect to x is the column itself.
    expect(Array.from(gradient).every((g, i) => Math.abs(g - weights[i * 10 + 3]!) < 1e-5)).toBe(true);
  });

  it("shows each convolution's and pooling layer's feature maps and the first kernels", () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const maps = featureMaps(model, new Uint8Array(784).fill(128));
    expect(maps.map((m) => [m.className, m.shape])).toEqual([
      ['Conv2D', [26, 26, 4]],
      ['MaxPooling2D', [13, 13, 4]],
    ]);
    expect(maps[0]!.values).toHaveLength(26 * 26 * 4);
    expect(firstKernels(model)?.shape).toEqual([3, 3, 4]);
  });
});
