import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBatchTrainer, wasmThreadCount } from '../../main/worker/trainers/createBatchTrainer';
import { buildModel } from '../../main/worker/training/buildModel';
import { registerFastWasmKernels } from '../../main/worker/kernels/wasm/registerFastWasmKernels';
import { findPreset } from '../../shared/layers/presets';
import { seededRandom } from '../../shared/training/seededRandom';

const helperEntry = join(process.cwd(), 'dist', 'main', 'gradientHelper.cjs');

beforeAll(async () => {
  registerFastWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

function batch(n: number, seed: number) {
  const random = seededRandom(seed);
  const x = Float32Array.from({ length: n * 784 }, () => random());
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + Math.floor(random() * 10)] = 1;
  return { x, y };
}

describe('training a batch on N threads', () => {
  // Threads beyond the core count are allowed (only slower), so this runs on any machine.
  it('follows the same path as one thread for N = 2, 3, 4: the mean of N shard gradients is the batch gradient', async () => {
    const preset = findPreset('seed-mlp')!;
    const options = { layers: preset.layers, optimizer: preset.settings.optimizer, seed: 3, backend: 'wasm' as const, batchSize: 64, helperEntry };
    const run = async (threads: number) => {
      const model = buildModel(preset.layers, preset.settings.optimizer, 3);
      const trainer = await createBatchTrainer(model, { ...options, threads });
      expect(trainer.threads).toBe(threads);
      const losses: number[] = [];
      for (let step = 0; step < 4; step++) {
        const { x, y } = batch(64, 10 + step);
        // The last step is a short batch, as an epoch's last one can be.
        await trainer.step(x, y, step === 3 ? 37 : 64);
        losses.push((await trainer.takeMetrics()).loss);
      }
      const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
      await trainer.dispose();
      model.dispose();
      return { losses, weights };
    };
    const one = await run(1);
    for (const threads of [2, 3, 4]) {
      const many = await run(threads);
      for (let i = 0; i < one.losses.length; i++) expect(Math.abs(many.losses[i]! - one.losses[i]!) / one.losses[i]!).toBeLessThan(1e-4);
      // The paths differ only by rounding (another split of the batch sums in another order),
      // which can flip a ReLU sitting exactly at zero for one image and so move that unit's
      // weights differently: at most a few units' worth, never the bulk of a layer.
      for (let w = 0; w < one.weights.length; w++) {
        let differing = 0;
        for (let i = 0; i < one.weights[w]!.length; i++) if (Math.abs(many.weights[w]![i]! - one.weights[w]![i]!) > 1e-5) differing++;
        expect(differing / one.weights[w]!.length).toBeLessThan(0.01);
      }
    }
  });

  it('takes the thread count from the run, else MNIST_LAB_WASM_THREADS, else every core; within the batch and memory', () => {
    expect(wasmThreadCount(3, 200, 1000)).toBe(3);
    process.env.MNIST_LAB_WASM_THREADS = '5';
    expect(wasmThreadCount(null, 200, 1000)).toBe(5);
    expect(wasmThreadCount(2, 200, 1000)).toBe(2);
    process.env.MNIST_LAB_WASM_THREADS = 'many';
    expect(wasmThreadCount(null, 200, 1000)).toBe(availableParallelism());
    delete process.env.MNIST_LAB_WASM_THREADS;
    // Four images a thread at least; two copies of a 50 M-parameter model's gradients per thread fit 1 GiB only twice.
    expect(wasmThreadCount(16, 20, 1000)).toBe(5);
    expect(wasmThreadCount(16, 200, 50_000_000)).toBe(2);
  });

  it('falls back to one thread, and still trains, when a helper thread cannot start', async () => {
    const preset = findPreset('seed-mlp')!;
    const model = buildModel(preset.layers, preset.settings.optimizer, 3);
    const trainer = await createBatchTrainer(model, {
      layers: preset.layers,
      optimizer: preset.settings.optimizer,
      seed: 3,
      backend: 'wasm',
      batchSize: 64,
      threads: 3,
      helperEntry: join(process.cwd(), 'dist', 'main', 'no-such-helper.cjs'),
    });
    expect(trainer.threads).toBe(1);
    const { x, y } = batch(64, 1);
    await trainer.step(x, y, 64);
    expect(Number.isFinite((await trainer.takeMetrics()).loss)).toBe(true);
    await trainer.dispose();
    model.dispose();
  });
});
