import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { OptimizerStep } from '../../main/worker/dataParallel/optimizerStep';
import { optimizerSlices } from '../../main/worker/dataParallel/sharedBuffers';
import { shardSizes } from '../../main/worker/dataParallel/shardSizes';
import { createOptimizer } from '../../main/worker/buildModel';
import { seededRandom } from '../../main/worker/seededRandom';
import type { OptimizerSettings } from '../../shared/training/trainingSettings';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const settings: OptimizerSettings[] = [
  { type: 'adam', learningRate: 0.001 },
  { type: 'sgd', learningRate: 0.05, momentum: 0 },
  { type: 'sgd', learningRate: 0.05, momentum: 0.9 },
  { type: 'rmsprop', learningRate: 0.001 },
];

describe("the data-parallel trainer's optimiser step", () => {
  it.each(settings)('matches tfjs for %j', (optimizer) => {
    const random = seededRandom(5);
    const size = 500;
    const start = Float32Array.from({ length: size }, () => random() * 2 - 1);
    const gradients = Array.from({ length: 4 }, () => Float32Array.from({ length: size }, () => (random() * 2 - 1) * 0.01));

    const variable = tf.variable(tf.tensor(start));
    const reference = createOptimizer(optimizer);
    for (const g of gradients) reference.applyGradients({ [variable.name]: tf.tensor(g) });
    const expected = variable.dataSync() as Float32Array;

    // Three threads each own a slice of the weights; each gradient arrives as three parts that
    // sum to it, as from three threads' shards.
    const weights = start.slice();
    const slices = optimizerSlices(size, 3);
    expect(slices).toEqual([
      [0, 166],
      [166, 333],
      [333, 500],
    ]);
    const steps = slices.map(([from, to]) => new OptimizerStep(optimizer, from, to));
    for (const g of gradients) {
      const parts = [0.25, 0.5, 0.25].map((share) => g.map((v) => v * share));
      for (const step of steps) step.apply(weights, parts);
    }
    let maxDiff = 0;
    for (let i = 0; i < size; i++) maxDiff = Math.max(maxDiff, Math.abs(weights[i]! - expected[i]!));
    expect(maxDiff).toBeLessThan(1e-6);
  });
});

describe('shards of a batch', () => {
  it("follow each thread's speed, add up to the batch, and give the training thread at least one image", () => {
    expect(shardSizes(200, [1, 1])).toEqual([100, 100]);
    expect(shardSizes(200, [1, 3])).toEqual([50, 150]);
    expect(shardSizes(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(shardSizes(2, [1, 1, 1, 1])).toEqual([1, 1, 0, 0]);
    expect(shardSizes(3, [0.001, 5, 5])).toEqual([1, 1, 1]);
    for (const count of [1, 7, 64, 199]) expect(shardSizes(count, [0.3, 0.7, 0.5, 0.9]).reduce((a, b) => a + b)).toBe(count);
  });
});
