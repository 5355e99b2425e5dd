import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { OptimizerStep } from '../../main/worker/dataParallel/optimizerStep';
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

describe("the two-thread trainer's optimiser step", () => {
  it.each(settings)('matches tfjs for %j', (optimizer) => {
    const random = seededRandom(5);
    const size = 500;
    const start = Float32Array.from({ length: size }, () => random() * 2 - 1);
    const gradients = Array.from({ length: 4 }, () => Float32Array.from({ length: size }, () => (random() * 2 - 1) * 0.01));

    const variable = tf.variable(tf.tensor(start));
    const reference = createOptimizer(optimizer);
    for (const g of gradients) reference.applyGradients({ [variable.name]: tf.tensor(g) });
    const expected = variable.dataSync() as Float32Array;

    const weights = [start.slice()];
    const step = new OptimizerStep(optimizer, [size]);
    // Each gradient arrives as two halves that sum to it, as from the two threads.
    for (const g of gradients) step.apply(weights, [g.map((v) => v * 0.25)], [g.map((v) => v * 0.75)]);
    let maxDiff = 0;
    for (let i = 0; i < size; i++) maxDiff = Math.max(maxDiff, Math.abs(weights[0]![i]! - expected[i]!));
    expect(maxDiff).toBeLessThan(1e-6);
  });
});
