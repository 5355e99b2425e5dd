import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { unzipSync, zipSync } from 'fflate';
import { readCheckpoint } from '../../main/common/checkpointFiles';
import { builtInMnistDirectory, DatasetStore } from '../../main/core/datasets/datasetStore';
import { ModelExporter } from '../../main/core/export/modelExporter';
import { RunStore } from '../../main/core/runs/runStore';
import { forkWorkerLauncher, WorkerHost } from '../../main/core/workerHost';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { loadCheckpoint } from '../../main/worker/checkpoints/checkpointReader';
import type { RunSummary } from '../../shared/apiTypes';
import { modelFileThreadEntry, workerEntry } from './labHarness';
import { tempDir } from './tempDir';

// A seed CNN trained briefly, exported as Keras .h5 and as tfjs' layers format zipped, and read
// back by other tools: h5py and numpy (Debian's python3-h5py), and Keras where it is installed.
// Then the other way: model files as Keras 2, Keras 3 and tfjs write them, imported as runs.

const cli = join(process.cwd(), 'dist', 'main', 'cli.cjs');
const python = '/usr/bin/python3';
const h5pyMissing = spawnSync(python, ['-c', 'import h5py, numpy'], { encoding: 'utf8' }).status !== 0;
if (h5pyMissing) console.log('Skipping the h5py check of the Keras export: /usr/bin/python3 lacks h5py or numpy (apt-get install python3-h5py)');

/** Imports and the read-back check of exports run on the wasm backend, as the training below does. */
const run = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, MNIST_LAB_BACKEND: 'wasm' } });
const importModel = (...args: string[]) => run('import', '--data-dir', dataDir, '--json', ...args);
let dataDir = '';
let trainedRunId = '';
/** The first 100 test images, 0–1. */
let testImages = new Float32Array();

interface StoredEvaluation {
  count: number;
  predicted: number[];
  probabilities: number[];
}
const evaluationOf = (runId: string) => JSON.parse(readFileSync(join(dataDir, 'runs', runId, 'eval.json'), 'utf8')) as StoredEvaluation;
const runFolders = () => readdirSync(join(dataDir, 'runs'));

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataDir = tempDir('export');
  const trained = run(
    'train',
    '--preset',
    'seed-cnn',
    '--limit',
    '400',
    '--test-limit',
    '200',
    '--epochs',
    '1',
    '--backend',
    'wasm',
    '--json',
    '--data-dir',
    dataDir,
  );
  expect(trained.status).toBe(0);
  trainedRunId = runFolders()[0]!;
  const { test } = await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()));
  testImages = Float32Array.from(test.pixels.subarray(0, 100 * 784), (p) => p / 255);
  writeFileSync(join(dataDir, 'images.f32'), testImages);
}, 240_000);

describe('exporting a run', () => {
  it.skipIf(h5pyMissing)(
    'writes a Keras .h5 that h5py reads and a numpy rebuild predicts exactly like MNIST Lab',
    async () => {
      const out = join(dataDir, 'seed-cnn.h5');
      const exported = run('export', '--data-dir', dataDir, '--format', 'keras-h5', '--out', out);
      expect(exported.status).toBe(0);
      expect(exported.stdout.trim().split('\n')).toEqual([
        out,
        expect.stringMatching(/^read back: 0 of 200 predictions changed \(largest probability difference \d\.\de-\d+\)$/),
      ]);
      // Never overwrites.
      expect(run('export', '--data-dir', dataDir, '--out', out).stderr).toMatch(/exists already; choose another --out/);

      const model = await loadCheckpoint(join(dataDir, 'runs', trainedRunId, 'model'));
      const probabilities = (model.predict(tf.tensor4d(testImages, [100, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array;
      writeFileSync(join(dataDir, 'probabilities.f32'), probabilities);

      const check = spawnSync(python, ['test/python/check_keras_h5.py', out, join(dataDir, 'images.f32'), join(dataDir, 'probabilities.f32')], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(check.stderr).toBe('');
      const result = JSON.parse(check.stdout) as { weights: [string, number[], number[]][]; max_difference: number; same_digits: boolean; keras: string };
      expect(result.weights).toEqual([
        ['conv2d_Conv2D1', [3, 3, 1, 32], [32]],
        ['conv2d_Conv2D2', [3, 3, 32, 64], [64]],
        ['dense_Dense1', [9216, 128], [128]],
        ['dense_Dense2', [128, 10], [10]],
      ]);
      expect(result.max_difference).toBeLessThan(1e-4);
      expect(result.same_digits).toBe(true);
      // keras.models.load_model is checked where Keras is installed; elsewhere the script says why not.
      console.log(`Keras export: ${result.keras}`);
      expect(check.status).toBe(0);
    },
    120_000,
  );

  it.skipIf(h5pyMissing)("writes tfjs' layers format as a zip of model.json and weights.bin that Python's zipfile reads and checks", () => {
    const out = join(dataDir, 'seed-cnn.zip');
    expect(run('export', '--data-dir', dataDir, '--format', 'tfjs-zip', '--out', out).status).toBe(0);
    // Python's own zip reader, another implementation than ours: testzip() inflates each entry and checks its CRC.
    const script =
      'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({"bad": z.testzip(), "names": z.namelist(), "paths": [g["paths"] for g in json.loads(z.read("model.json"))["weightsManifest"]], "weights": z.getinfo("weights.bin").file_size}))';
    const checked = spawnSync(python, ['-c', script, out], { encoding: 'utf8' });
    expect(checked.stderr).toBe('');
    expect(JSON.parse(checked.stdout)).toEqual({ bad: null, names: ['model.json', 'weights.bin'], paths: [['weights.bin']], weights: 1_199_882 * 4 });
  });

  it('refuses to offer a file whose read-back predicts otherwise, naming how many digits changed', async () => {
    const exporter = new ModelExporter(
      new RunStore(dataDir),
      new DatasetStore(dataDir),
      new WorkerHost(forkWorkerLauncher(workerEntry), { gpuIndex: null }),
      () => 'wasm',
      modelFileThreadEntry,
    );
    const { weightData } = await readCheckpoint(join(dataDir, 'runs', trainedRunId, 'model'));
    // The output layer's ten biases end the weights; in both formats they are stored as they are, so one can be found and changed.
    const outputBias = Buffer.from(weightData).subarray(weightData.byteLength - 40);
    const boostDigitZero = (bytes: Uint8Array) => {
      const copy = Buffer.from(bytes);
      const at = copy.indexOf(outputBias);
      expect(at).toBeGreaterThan(0);
      copy.writeFloatLE(100, at);
      return new Uint8Array(copy);
    };

    const h5 = await exporter.write(trainedRunId, 'keras-h5');
    expect((await exporter.checked(trainedRunId, h5)).parity).toMatchObject({ count: 200, changed: 0, sketches: { count: 0 } });
    // The user's last sketches go with the export: the file reads them as the run's checkpoint does.
    const sketches = Float32Array.from({ length: 3 * 784 }, (_, i) => ((Math.floor((i % 784) / 28) + (i % 28) + Math.floor(i / 784)) % 7 === 0 ? 1 : 0));
    const withSketches = (await exporter.checked(trainedRunId, h5, sketches)).parity;
    expect(withSketches.sketches).toMatchObject({ count: 3, changed: 0 });
    expect(withSketches.sketches.maxDifference).toBeLessThan(1e-5);
    await expect(exporter.checked(trainedRunId, { ...h5, bytes: boostDigitZero(h5.bytes) })).rejects.toThrow(
      /the exported file was not offered: read back, it predicts \d+ of 200 test digits differently from the run/,
    );

    const zip = await exporter.write(trainedRunId, 'tfjs-zip');
    const entries = unzipSync(zip.bytes);
    const damaged = zipSync({ 'model.json': entries['model.json']!, 'weights.bin': boostDigitZero(entries['weights.bin']!) });
    await expect(exporter.checked(trainedRunId, { ...zip, bytes: damaged })).rejects.toThrow(/predicts \d+ of 200 test digits differently/);
    // A file the importer cannot read is not passed either.
    await expect(exporter.checked(trainedRunId, { ...zip, bytes: zip.bytes.subarray(0, 100) })).rejects.toThrow(
      /the exported file was not offered: it could not be checked/,
    );
  }, 120_000);

  it('refuses a format it does not know, and a run without a checkpoint', () => {
    expect(run('export', '--data-dir', dataDir, '--format', 'onnx').stderr).toMatch(/--format: choose keras-h5 or tfjs-zip/);
    expect(run('export', '--data-dir', tempDir('export-empty')).stderr).toMatch(/there is no trained run yet/);
  });
});

describe('importing a model', () => {
  /** Imports `files` and checks the new run reads the test digits exactly as the trained run does. */
  function expectSameModelAsTrained(files: string[], format: string): RunSummary {
    const imported = importModel(...files);
    expect(imported.stderr).not.toMatch(/Error/);
    expect(imported.status).toBe(0);
    const summary = JSON.parse(imported.stdout) as RunSummary;
    expect(summary).toMatchObject({ status: 'imported', hasCheckpoint: true, hasEvaluation: true, epochsDone: 0, params: 1_199_882 });
    expect(summary.importedFrom).toEqual({ fileName: files[0]!.split('/').at(-1), format, notes: [] });
    const trained = evaluationOf(trainedRunId);
    const evaluation = evaluationOf(summary.id);
    // The whole test set, of which the trained run scored the first 200.
    expect(evaluation.count).toBe(10_000);
    expect(evaluation.predicted.slice(0, trained.count)).toEqual(trained.predicted);
    const difference = Math.max(...trained.probabilities.map((p, i) => Math.abs(p - evaluation.probabilities[i]!)));
    expect(difference).toBeLessThan(1e-5);
    return summary;
  }

  it("reads back MNIST Lab's own .h5 and tfjs zip as runs that predict like the run they came from", () => {
    const h5 = join(dataDir, 'own.h5');
    const zip = join(dataDir, 'own.zip');
    expect(run('export', '--data-dir', dataDir, '--run', trainedRunId, '--format', 'keras-h5', '--out', h5).status).toBe(0);
    expect(run('export', '--data-dir', dataDir, '--run', trainedRunId, '--format', 'tfjs-zip', '--out', zip).status).toBe(0);
    const fromH5 = expectSameModelAsTrained([h5], 'keras-h5');
    const fromZip = expectSameModelAsTrained([zip], 'tfjs');
    // Two files named "own": the second run is told apart in the history and the pickers.
    expect([fromH5.name, fromZip.name]).toEqual(['own', 'own (2)']);
    // An imported run reads a picture from the command line exactly as the run it came from.
    const digit = join(dataDir, 'digit.png');
    const png = new PNG({ width: 28, height: 28 });
    testImages.subarray(0, 784).forEach((p, i) => png.data.set([255 - Math.round(p * 255), 255 - Math.round(p * 255), 255 - Math.round(p * 255), 255], i * 4));
    writeFileSync(digit, PNG.sync.write(png));
    const predict = (runId: string) => run('predict', '--data-dir', dataDir, '--run', runId, '--json', digit);
    const [fromImport, fromTrained] = [predict(fromZip.id), predict(trainedRunId)];
    expect(fromImport.status).toBe(0);
    const [imported, trained] = [fromImport, fromTrained].map((r) => JSON.parse(r.stdout) as { run: string; digit: number; probabilities: number[] });
    expect([imported!.run, trained!.run]).toEqual([fromZip.id, trainedRunId]);
    expect(imported!.digit).toEqual(expect.any(Number));
    expect({ ...imported, run: null }).toEqual({ ...trained, run: null });
  }, 120_000);

  it.skipIf(h5pyMissing)(
    'imports Keras 2 .h5, Keras 3 .h5 and .keras files written by h5py, each predicting like the trained run',
    () => {
      const out = join(dataDir, 'keras-files');
      mkdirSync(out, { recursive: true });
      const source = join(dataDir, 'for-keras.h5');
      expect(run('export', '--data-dir', dataDir, '--run', trainedRunId, '--format', 'keras-h5', '--out', source).status).toBe(0);
      const written = spawnSync(python, ['test/python/write_keras_files.py', source, join(dataDir, 'images.f32'), out], { encoding: 'utf8', timeout: 120_000 });
      expect(written.stderr).toBe('');
      expect(written.status).toBe(0);
      expectSameModelAsTrained([join(out, 'keras2.h5')], 'keras-h5');
      expectSameModelAsTrained([join(out, 'keras3-legacy.h5')], 'keras-h5');
      // The same Keras 2 file with every group's links and attributes in dense storage (fractal heaps, v2 B-trees).
      expectSameModelAsTrained([join(out, 'keras2-dense.h5')], 'keras-h5');
      expectSameModelAsTrained([join(out, 'keras3.keras')], 'keras');

      // The seed's MLP reads 784 values and ends in logits and a separate softmax: it gets a Flatten
      // in front and the softmax folded in, and predicts what numpy computes from the same weights.
      const mlp = importModel(join(out, 'mlp.h5'), '--name', 'Seed MLP from Keras');
      expect(mlp.status).toBe(0);
      const summary = JSON.parse(mlp.stdout) as RunSummary;
      expect(summary.name).toBe('Seed MLP from Keras');
      expect(summary.importedFrom?.notes).toEqual([
        'The model reads 784 values; a Flatten in front gives it each 28 × 28 image in the same order.',
        'The final softmax layer was folded into the Dense layer before it.',
      ]);
      const expected = new Float32Array(Uint8Array.from(readFileSync(join(out, 'mlp.expected.f32'))).buffer);
      const evaluation = evaluationOf(summary.id);
      expect(Math.max(...Array.from(expected, (p, i) => Math.abs(p - evaluation.probabilities[i]!)))).toBeLessThan(1e-5);
    },
    240_000,
  );

  it('refuses a damaged or unusable file with the reason, and leaves no run or staging folder behind', () => {
    const before = runFolders().length;
    const h5 = readFileSync(join(dataDir, 'own.h5'));
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated.h5', h5.subarray(0, 100_000), /truncated\.h5 cannot be imported: the file is truncated or damaged/],
      ['notes.txt', Buffer.from('hello'), /not a model file/],
      [
        'model.json',
        Buffer.from(
          JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { layers: [] } }, weightsManifest: [{ paths: ['w.bin'], weights: [] }] }),
        ),
        /needs the weights file w\.bin/,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      const path = join(dataDir, name);
      writeFileSync(path, bytes);
      const refused = importModel(path);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(message);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    }
    expect(runFolders().length).toBe(before);
    expect(runFolders().filter((name) => name.startsWith('.import-'))).toEqual([]);
  }, 60_000);
});
