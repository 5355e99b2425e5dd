import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idxLabels, writeDatasetFolder } from '../fixtures/idxFiles';

test('a dataset in IDX files can be imported, browsed and removed; a broken one is refused with its reason', async ({ page }) => {
  const good = writeDatasetFolder(mkdtempSync(join(tmpdir(), 'mnist-lab-import-')), { train: 30, test: 10, gzip: true });
  const broken = writeDatasetFolder(mkdtempSync(join(tmpdir(), 'mnist-lab-broken-')), { train: 30, test: 10 });
  writeFileSync(join(broken, 'train-labels-idx1-ubyte'), idxLabels(Array.from({ length: 29 }, () => 1)));

  await page.goto(`${process.env.LAB_URL!}#dataset`);
  await expect(page.getByTestId('image-count')).toHaveText('60,000 images');
  await page.getByText('Import a dataset…').click();

  await page.getByLabel('Dataset name').fill('Broken digits');
  await page.getByLabel('Folder').fill(broken);
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('alert')).toHaveText('cannot import Broken digits: train-labels-idx1-ubyte: 29 labels but 30 images in train-images-idx3-ubyte');

  await page.getByLabel('Dataset name').fill('Tiny digits');
  await page.getByLabel('Folder').fill(good);
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByText('Imported Tiny digits: 30 training and 10 test images.')).toBeVisible();
  await expect(page.getByTestId('dataset-select')).toHaveValue('tiny-digits');
  await expect(page.getByTestId('image-count')).toHaveText('30 images');
  await page.getByTestId('thumbnail-grid').click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId('detail-label')).toHaveText('0');
  await page.screenshot({ path: 'test-results/screenshots/dataset-imported.png' });

  await page.getByTestId('dataset-select').selectOption('mnist');
  await expect(page.getByTestId('image-count')).toHaveText('60,000 images');
  await page.getByTestId('dataset-select').selectOption('tiny-digits');
  await page.getByRole('button', { name: 'Remove “Tiny digits”' }).click();
  await expect(page.getByTestId('dataset-select')).toHaveValue('mnist');
  await expect(page.getByTestId('dataset-select').locator('option')).toHaveCount(1);
});
