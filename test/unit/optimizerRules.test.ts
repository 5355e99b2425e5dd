import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError } from './relativeError';
import { softwareWebGpuUnavailable } from './softwareWebGpu';
import { tryWebGpu } from '../../main/worker/backends/startWebGpu';
import { OptimizerStep } from '../../main/worker/trainers/dataParallel/optimizerStep';
import { optimizerSlices } from '../../main/worker/trainers/dataParallel/sharedBuffers';
import { FusedOptimizer } from '../../main/worker/trainers/gpu/fusedOptimizer';
import { createOptimizer } from '../../main/worker/training/buildModel';
import { seededRandom } from '../../shared/training/seededRandom';
import { referenceSteps, updateRuleOf } from '../../shared/training/optimizerRules';
import type { OptimizerSettings } from '../../shared/training/trainingSettings';

// Every optimiser rule is written once (shared/training/optimizerRules.ts) and three times more
// for speed; this table holds each of those to the description, rule by rule.

const webgpuSkip = softwareWebGpuUnavailable();
if (webgpuSkip) console.log(`Skipping the fused WebGPU optimiser rows: ${webgpuSkip}`);

beforeAll(async () => {
  if (webgpuSkip) return;
  expect((await tryWebGpu(true)).reason).toBeNull();
}, 60_000);

const shape = [20, 15];
const size = 300;

interface Implementation {
  name: string;
  /** Why it cannot run here, or null. */
  skip: string | null;
  /** The weights after applying `gradients` in turn from `start`. */
  run(settings: OptimizerSettings, start: Float32Array, gradients: Float32Array[]): Promise<Float32Array>;
  tolerance: number;
}

const implementations: Implementation[] = [
  {
    name: "tfjs' optimiser on the cpu backend",
    skip: null,
    tolerance: 1e-5,
    async run(settings, start, gradients) {
      await tf.setBackend('cpu');
      const variable = tf.variable(tf.tensor2d(start, shape as [number, number]));
      const optimizer = createOptimizer(settings);
      for (const g of gradients) optimizer.applyGradients({ [variable.name]: tf.tensor2d(g, shape as [number, number]) });
      const weights = (await variable.data()) as Float32Array;
      optimizer.dispose();
      variable.dispose();
      return weights;
    },
  },
  {
    // Three threads each own a slice; each gradient arrives as three parts that sum to it.
    name: "the CPU threads' OptimizerStep, over three slices",
    skip: null,
    tolerance: 1e-5,
    async run(settings, start, gradients) {
      const weights = start.slice();
      const steps = optimizerSlices(size, 3).map(([from, to]) => new OptimizerStep(settings, from, to));
      for (const g of gradients) {
        const parts = [0.25, 0.5, 0.25].map((share) => g.map((v) => v * share));
        for (const step of steps) step.apply(weights, parts);
      }
      return weights;
    },
  },
  {
    name: 'the fused WebGPU update',
    skip: webgpuSkip,
    tolerance: 1e-4,
    async run(settings, start, gradients) {
      await tf.setBackend('webgpu');
      const variable = tf.variable(tf.tensor2d(start, shape as [number, number]));
      const fused = new FusedOptimizer(settings, [variable]);
      for (const g of gradients) fused.apply([tf.tensor2d(g, shape as [number, number])]);
      const weights = (await variable.data()) as Float32Array;
      fused.dispose();
      variable.dispose();
      return weights;
    },
  },
];

const settingsTable: OptimizerSettings[] = [
  { type: 'adam', learningRate: 0.01 },
  { type: 'sgd', learningRate: 0.05, momentum: 0 },
  { type: 'sgd', learningRate: 0.05, momentum: 0.9 },
  { type: 'rmsprop', learningRate: 0.01 },
];

function randomValues(seed: number, scale: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: size }, () => (random() * 2 - 1) * scale);
}

describe('each optimiser rule', () => {
  const rows = settingsTable.flatMap((settings) =>
    implementations.map((implementation) => [updateRuleOf(settings).name, implementation.name, settings, implementation] as const),
  );
  it.each(rows)(
    '%s: %s takes the steps the description takes',
    async (_rule, _name, settings, implementation) => {
      if (implementation.skip) return void console.log(`skipped: ${implementation.skip}`);
      const start = randomValues(3, 1);
      const gradients = [4, 5, 6, 7].map((seed) => randomValues(seed, 0.1));
      const expected = Float32Array.from(referenceSteps(settings, start, gradients));
      const moved = relativeError(start, expected);
      expect(moved, 'the steps move the weights, so a rule that does nothing fails').toBeGreaterThan(1e-3);
      expect(relativeError(await implementation.run(settings, start, gradients), expected)).toBeLessThan(implementation.tolerance);
    },
    60_000,
  );

  it('differ from one another, so one rule standing in for another fails', () => {
    const start = randomValues(3, 1);
    const gradients = [4, 5, 6].map((seed) => randomValues(seed, 0.1));
    const results = settingsTable.map((settings) => Float32Array.from(referenceSteps(settings, start, gradients)));
    for (let i = 0; i < results.length; i++) for (let j = i + 1; j < results.length; j++) expect(relativeError(results[i]!, results[j]!)).toBeGreaterThan(1e-4);
  });
});
