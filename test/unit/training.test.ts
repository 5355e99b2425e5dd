import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { wordBackendReason } from '../../shared/backendReasons';
import { describe, expect, it } from 'vitest';
import { labHarness, seedSpec, workerEntry } from './labHarness';
import { forkWorkerLauncher, WorkerHost } from '../../main/core/workerHost';
import { findDatasetFiles } from '../../main/common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import type { WorkerMessage } from '../../main/common/workerMessages';

describe('training on the wasm backend', () => {
  it('trains seed-mlp on 2,000 images for 2 epochs to over 85% on 1,000 test images, and stores the run', async () => {
    const lab = labHarness();
    // Batch 100 (the seed uses 200) gives the 2,000 images 40 Adam steps instead of 20.
    const { runId } = await lab.service.startTraining(seedSpec('seed-mlp', { epochs: 2, trainLimit: 2000, testLimit: 1000, batchSize: 100 }));
    const done = await lab.finished(runId);
    expect(done.testAccuracy).toBeGreaterThan(0.85);
    expect(done.stoppedBy).toBe('epochs');

    const epochs = lab.eventsOf('train:epoch', runId);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(epochs[1]!.valAccuracy).toBeCloseTo(done.testAccuracy, 6);
    expect(lab.eventsOf('train:batch', runId).length).toBeGreaterThan(0);
    expect(lab.eventsOf('train:started', runId)[0]!.backend.active).toBe('wasm');

    const run = await lab.service.getRun({ runId });
    expect(run.summary).toMatchObject({ status: 'completed', epochsDone: 2, backend: 'wasm', hasCheckpoint: true, hasEvaluation: true });
    const evaluation = await lab.service.getEvaluation({ runId });
    expect(evaluation.count).toBe(1000);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(1000);
    const correct = evaluation.confusion.reduce((sum, row, i) => sum + row[i]!, 0);
    expect(correct / 1000).toBeCloseTo(done.testAccuracy, 6);
    expect(evaluation.probabilities.length).toBe(10_000);
    const modelJson = JSON.parse(readFileSync(join(lab.dataDir, 'runs', runId, 'model', 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');

    // Each epoch's reading of the same 1,000 test digits is kept; the best epoch's is the evaluation's.
    const history = await lab.service.getEpochPredictions({ runId });
    expect(history).toMatchObject({ count: 1000, epochs: [1, 2], damaged: [] });
    const best = history.epochs.indexOf(run.summary.bestEpoch!);
    expect(history.predicted.subarray(best * 1000, (best + 1) * 1000)).toEqual(evaluation.predicted);
    const confidence = Array.from(history.confidence.subarray(best * 1000, (best + 1) * 1000), (c) => c / 255);
    const evaluated = Array.from(evaluation.predicted, (digit, i) => evaluation.probabilities[i * 10 + digit]!);
    expect(Math.max(...confidence.map((c, i) => Math.abs(c - evaluated[i]!)))).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
  });

  it('stops early when val_loss cannot improve, and rewrites the checkpoint only on improvement', async () => {
    const lab = labHarness();
    // A step size of 1e-30 leaves every weight as it is, so val_loss never improves after epoch 1.
    const { runId } = await lab.service.startTraining(
      seedSpec('seed-mlp', {
        epochs: 10,
        trainLimit: 400,
        testLimit: 200,
        earlyStopping: { patience: 2 },
        optimizer: { type: 'sgd', learningRate: 1e-30, momentum: 0 },
      }),
    );
    const done = await lab.finished(runId);
    expect(done.stoppedBy).toBe('early-stopping');
    expect(done.bestEpoch).toBe(1);
    const epochs = lab.eventsOf('train:epoch', runId);
    expect(epochs.map((e) => e.checkpointed)).toEqual([true, false, false]);
    expect(readdirSync(join(lab.dataDir, 'runs', runId, 'model')).sort()).toEqual(['model.json', 'weights-1.bin']);
  });

  it('stops mid-epoch when asked, keeps the checkpoint and evaluates it', async () => {
    const lab = labHarness();
    const { runId } = await lab.service.startTraining(seedSpec('seed-mlp', { epochs: 5, trainLimit: 20_000, testLimit: 500, batchSize: 50 }));
    const firstBatch = await lab.next('train:batch', (b) => b.runId === runId);
    expect(await lab.service.stopTraining()).toEqual({ state: 'running', runId, stopping: true });
    const done = await lab.finished(runId);
    expect(done.stoppedBy).toBe('user');
    const batches = lab.eventsOf('train:batch', runId);
    expect(batches.at(-1)!.batch).toBeLessThan(firstBatch.batchesPerEpoch);
    const run = await lab.service.getRun({ runId });
    expect(run.summary).toMatchObject({ status: 'stopped', epochsDone: 1, hasCheckpoint: true, hasEvaluation: true });
    expect(await lab.service.getTrainingStatus()).toEqual({ state: 'idle' });
  });

  it('reports a killed worker as train:error and trains the next run normally', async () => {
    const lab = labHarness();
    const { runId } = await lab.service.startTraining(seedSpec('seed-mlp', { epochs: 50, trainLimit: 20_000, testLimit: 200 }));
    await lab.next('train:batch', (b) => b.runId === runId);
    lab.workers.at(-1)!.kill();
    await expect(lab.finished(runId)).rejects.toThrow(/the training worker stopped unexpectedly \(signal SIGTERM\)/);
    await lab.service.whenIdle();
    expect((await lab.service.getRun({ runId })).summary.status).toBe('failed');

    const next = await lab.service.startTraining(seedSpec('seed-mlp', { epochs: 1, trainLimit: 400, testLimit: 200 }));
    await expect(lab.finished(next.runId)).resolves.toMatchObject({ stoppedBy: 'epochs' });
  });

  it("survives its run's folder being deleted mid-run: the run fails with a train:error, nothing is left unhandled", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const lab = labHarness();
      const { runId } = await lab.service.startTraining(seedSpec('seed-mlp', { epochs: 50, trainLimit: 20_000, testLimit: 200 }));
      await lab.next('train:batch', (b) => b.runId === runId);
      rmSync(join(lab.dataDir, 'runs', runId), { recursive: true, force: true });
      lab.workers.at(-1)!.kill();
      await expect(lab.finished(runId)).rejects.toThrow();
      await lab.service.whenIdle();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);
      expect(await lab.service.getTrainingStatus()).toEqual({ state: 'idle' });
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('refuses an invalid layer stack before any worker starts, and a second run while one trains', async () => {
    const lab = labHarness();
    const invalid = seedSpec('seed-mlp', {}, [
      { type: 'input', shape: [28, 28, 1] },
      { type: 'dense', units: 10, activation: 'softmax' },
    ]);
    await expect(lab.service.startTraining(invalid)).rejects.toThrow(/Dense needs a vector, but the input produced an image of 28×28×1: add Flatten before it/);
    expect(lab.workers).toHaveLength(0);

    const { runId } = await lab.service.startTraining(seedSpec('seed-mlp', { epochs: 1, trainLimit: 2000, testLimit: 200 }));
    await expect(lab.service.startTraining(seedSpec('seed-mlp', { epochs: 1 }))).rejects.toThrow(/is training; stop it before starting another run/);
    await lab.finished(runId);
  });

  it('refuses a model too large to train before any worker starts, naming its size and the limit', async () => {
    const lab = labHarness();
    const wide = { type: 'dense', units: 8192, activation: 'relu' } as const;
    const huge = seedSpec('seed-mlp', {}, [
      { type: 'input', shape: [28, 28, 1] },
      { type: 'flatten' },
      ...Array.from({ length: 40 }, () => wide),
      { type: 'dense', units: 10, activation: 'softmax' },
    ]);
    await expect(lab.service.startTraining(huge)).rejects.toThrow(
      'the model is too large to train: the model has 2,624,077,834 parameters; MNIST Lab trains at most 50,000,000: use fewer units or filters',
    );
    const wideMaps = seedSpec('seed-cnn', { batchSize: 4096 }, [
      { type: 'input', shape: [28, 28, 1] },
      { type: 'conv2d', filters: 1024, kernelSize: 1, strides: 1, padding: 'same', activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ]);
    await expect(lab.service.startTraining(wideMaps)).rejects.toThrow(
      /a batch of 4,096 makes [\d,]+ activation values; MNIST Lab allows at most 1,000,000,000/,
    );
    expect(lab.workers).toHaveLength(0);
    expect(await lab.service.listRuns()).toEqual([]);
  });

  it("evaluates a killed worker's best checkpoint in a fresh worker, so its epochs are not lost", async () => {
    const lab = labHarness();
    const { runId } = await lab.service.startTraining(seedSpec('seed-mlp', { epochs: 50, trainLimit: 2000, testLimit: 300, earlyStopping: null }));
    await lab.next('train:epoch', (e) => e.runId === runId && e.checkpointed);
    lab.workers[0]!.kill();
    await expect(lab.finished(runId)).rejects.toThrow(/stopped unexpectedly \(signal SIGTERM\); its best checkpoint was evaluated: test accuracy \d+\.\d\d %/);
    await lab.service.whenIdle();
    const { summary } = await lab.service.getRun({ runId });
    expect(summary).toMatchObject({ status: 'failed', hasCheckpoint: true, hasEvaluation: true, testAccuracy: expect.any(Number) });
    const evaluation = await lab.service.getEvaluation({ runId });
    expect(evaluation.count).toBe(300);
    expect(evaluation.testAccuracy).toBeGreaterThan(0.7);
  });
});

describe('the worker', () => {
  it('keeps the tensor count flat across epochs (no leak)', async () => {
    const host = new WorkerHost(forkWorkerLauncher(workerEntry));
    const files = await findDatasetFiles(builtInMnistDirectory());
    const counts: number[] = [];
    const { tempDir } = await import('./tempDir');
    const preset = (await import('../../shared/layers/presets')).findPreset('seed-cnn')!;
    await new Promise<void>((resolve, reject) => {
      host.train({
        message: {
          type: 'train',
          runId: 'leak-check',
          modelDir: tempDir('leak'),
          spec: {
            name: 'leak check',
            datasetId: 'mnist',
            presetId: 'seed-cnn',
            layers: preset.layers,
            settings: { ...preset.settings, epochs: 4, trainLimit: 200, testLimit: 100, batchSize: 50 },
            backend: 'wasm',
          },
          files,
        },
        onMessage: (m: WorkerMessage) => {
          if (m.type === 'epoch') counts.push(m.numTensors);
          if (m.type === 'error') reject(new Error(m.message));
        },
        onEnd: (unexpected) => (unexpected ? reject(new Error(unexpected)) : resolve()),
      });
    });
    expect(counts).toHaveLength(4);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[1]).toBe(counts[0]);
  });

  it('names every backend and why the better ones are unavailable here', async () => {
    const host = new WorkerHost(forkWorkerLauncher(workerEntry));
    const report = await host.probe('auto');
    const cuda = report.candidates.find((c) => c.name === 'cuda')!;
    if (report.active === 'cuda') {
      expect(cuda.available).toBe(true);
    } else {
      expect(cuda.available).toBe(false);
      expect(cuda.reason).toMatch(/tfjs-node-gpu|GPU|libcud/);
    }
    expect(report.candidates.map((c) => c.name)).toEqual(['cuda', 'webgpu', 'cpu', 'wasm', 'js']);
    // auto never trains on a software adapter: here (no GPU) WebGPU is passed over with a reason.
    const webgpu = report.candidates.find((c) => c.name === 'webgpu')!;
    if (report.active !== 'webgpu') expect(webgpu.reason).toMatch(/software adapter|no WebGPU adapter|failed to load|not needed/);
    // Each reason also comes keyed, for the interface to word in the user's language; its English is the same.
    for (const candidate of report.candidates) expect(candidate.why && wordBackendReason(candidate.why)).toBe(candidate.reason);
    expect(existsSync(workerEntry)).toBe(true);
  });
});
