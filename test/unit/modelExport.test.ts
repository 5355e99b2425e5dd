import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { loadCheckpoint } from '../../main/worker/checkpointReader';
import { crc32 } from '../../main/core/export/zipArchive';
import { tempDir } from './tempDir';

// A seed CNN trained briefly, exported as Keras .h5 and as tfjs' layers format zipped, and read
// back by other tools: h5py and numpy (Debian's python3-h5py), and Keras where it is installed.

const cli = join(process.cwd(), 'dist', 'main', 'cli.cjs');
const python = '/usr/bin/python3';
const h5pyMissing = spawnSync(python, ['-c', 'import h5py, numpy'], { encoding: 'utf8' }).status !== 0;
if (h5pyMissing) console.log("Skipping the h5py check of the Keras export: /usr/bin/python3 lacks h5py or numpy (apt-get install python3-h5py)");

const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 240_000 });
let dataDir = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataDir = tempDir('export');
  const trained = run('train', '--preset', 'seed-cnn', '--limit', '400', '--test-limit', '200', '--epochs', '1', '--backend', 'wasm', '--json', '--data-dir', dataDir);
  expect(trained.status).toBe(0);
}, 240_000);

describe('exporting a run', () => {
  it.skipIf(h5pyMissing)('writes a Keras .h5 that h5py reads and a numpy rebuild predicts exactly like MNIST Lab', async () => {
    const out = join(dataDir, 'seed-cnn.h5');
    const exported = run('export', '--data-dir', dataDir, '--format', 'keras-h5', '--out', out);
    expect(exported.status).toBe(0);
    expect(exported.stdout.trim()).toBe(out);
    // Never overwrites.
    expect(run('export', '--data-dir', dataDir, '--out', out).stderr).toMatch(/exists already; choose another --out/);

    const runId = readdirSync(join(dataDir, 'runs'))[0]!;
    const model = await loadCheckpoint(join(dataDir, 'runs', runId, 'model'));
    const { test } = await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()));
    const images = Float32Array.from(test.pixels.subarray(0, 100 * 784), (p) => p / 255);
    const probabilities = (model.predict(tf.tensor4d(images, [100, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array;
    writeFileSync(join(dataDir, 'images.f32'), images);
    writeFileSync(join(dataDir, 'probabilities.f32'), probabilities);

    const check = spawnSync(python, ['test/python/check_keras_h5.py', out, join(dataDir, 'images.f32'), join(dataDir, 'probabilities.f32')], { encoding: 'utf8', timeout: 120_000 });
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
  }, 120_000);

  it("writes tfjs' layers format as a zip of model.json and weights.bin", () => {
    const out = join(dataDir, 'seed-cnn.zip');
    expect(run('export', '--data-dir', dataDir, '--format', 'tfjs-zip', '--out', out).status).toBe(0);
    const zip = readFileSync(out);
    // The central directory names both files; each stored entry's CRC matches its bytes.
    const entries: { name: string; bytes: Buffer }[] = [];
    for (let at = 0; zip.readUInt32LE(at) === 0x04034b50; ) {
      const size = zip.readUInt32LE(at + 18);
      const nameLength = zip.readUInt16LE(at + 26);
      const name = zip.subarray(at + 30, at + 30 + nameLength).toString();
      const bytes = zip.subarray(at + 30 + nameLength, at + 30 + nameLength + size);
      expect(crc32(bytes)).toBe(zip.readUInt32LE(at + 14));
      entries.push({ name, bytes });
      at += 30 + nameLength + size;
    }
    expect(entries.map((e) => e.name)).toEqual(['model.json', 'weights.bin']);
    const modelJson = JSON.parse(entries[0]!.bytes.toString()) as { weightsManifest: { paths: string[] }[] };
    expect(modelJson.weightsManifest.map((g) => g.paths)).toEqual([['weights.bin']]);
    expect(entries[1]!.bytes.length).toBe(1_199_882 * 4);
    expect(existsSync(out)).toBe(true);
  });

  it('refuses a format it does not know, and a run without a checkpoint', () => {
    expect(run('export', '--data-dir', dataDir, '--format', 'onnx').stderr).toMatch(/--format: choose keras-h5 or tfjs-zip/);
    expect(run('export', '--data-dir', tempDir('export-empty')).stderr).toMatch(/there is no trained run yet/);
  });
});
