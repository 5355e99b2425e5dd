import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainWithCli } from './cliTraining';
import { startBrowserMode } from './serverProcess';
import { digits, draw } from './sketchStrokes';

const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

test('with no model yet the sketchpad says so; with one, a drawn 1, 0 and 7 are each read right', async ({ page }) => {
  test.setTimeout(180_000);
  // A data folder of its own: empty first, then with a small seed CNN trained in it.
  const dataDir = mkdtempSync(join(tmpdir(), 'mnist-lab-e2e-sketch-'));
  const empty = await startBrowserMode(mkdtempSync(join(tmpdir(), 'mnist-lab-e2e-none-')));
  await page.goto(`${empty.url.split('#')[0]}#sketchpad`);
  await expect(page.getByTestId('sketch-no-model')).toContainText('No trained model yet');
  await expect(page.getByRole('button', { name: 'Train the seed CNN' })).toBeVisible();
  empty.server.kill();

  trainWithCli(dataDir, { preset: 'seed-cnn', limit: 8000, batchSize: 50, epochs: 1, testLimit: 500 });
  const lab = await startBrowserMode(dataDir);
  try {
    await page.goto(`${lab.url.split('#')[0]}#sketchpad`);
    await expect(page.getByTestId('sketch-run')).toBeVisible();
    for (const [digit, strokes] of digits) {
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('sketch-digit')).toHaveText('–');
      await draw(page, strokes);
      await expect(page.getByTestId('sketch-digit')).toHaveText(digit, { timeout: 30_000 });
      await page.screenshot({ path: `${shots}/sketchpad-${digit}.png` });
    }
    // The last drawing goes to the designer's layer previews.
    await page.getByTestId('sketch-inside').click();
    await expect(page.getByTestId('preview-digit-caption')).toHaveText('Your sketch');
    await expect(page.getByTestId('preview-probabilities')).toBeVisible({ timeout: 60_000 });
    await page.goto(`${lab.url.split('#')[0]}#sketchpad`);
    await draw(page, digits[0]![1]);
    await expect(page.getByTestId('sketch-digit')).toHaveText('1', { timeout: 30_000 });
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('sketch-digit')).toHaveText('–');
  } finally {
    lab.server.kill();
  }
});
