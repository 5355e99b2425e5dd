import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const url = () => process.env.LAB_URL!;
const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

/** Starts a seed-mlp run from the designer with a name and limits; the app then shows the dashboard. */
async function startRun(page: Page, name: string, epochs: number, trainLimit: number) {
  await page.goto(`${url().split('?')[0]}#designer`);
  await page.getByTestId('preset-select').selectOption('seed-mlp');
  await page.getByTestId('design-name').fill(name);
  await page.getByTestId('tab-settings').click();
  await page.getByTestId('field-epochs').fill(String(epochs));
  await page.getByTestId('field-train-limit').fill(String(trainLimit));
  await page.getByTestId('field-test-limit').fill('500');
  await page.getByTestId('train-design').click();
  await expect(page).toHaveURL(/#training$/);
}

const points = (page: Page, chart: string) => page.getByTestId(chart).evaluate((e) => Number(e.getAttribute('data-points')));

test('watch a run learn, reload mid-run, stop it, then compare two runs', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(url());
  await startRun(page, 'Long run', 30, 30_000);
  await expect(page.getByTestId('run-phase')).toHaveText('training', { timeout: 30_000 });
  await expect.poll(() => points(page, 'loss-chart'), { timeout: 30_000 }).toBeGreaterThan(5);
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(1, { timeout: 60_000 });
  const before = await points(page, 'loss-chart');

  await page.reload();
  await expect(page.getByTestId('epoch-table').locator('tbody tr').first()).toBeVisible();
  await expect.poll(() => points(page, 'loss-chart')).toBeGreaterThanOrEqual(before);
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(2, { timeout: 60_000 });
  await page.screenshot({ path: `${shots}/training-live.png` });

  // While it trains, the history counts its time up rather than showing 0 s.
  const duration = page.getByTestId('history-row').filter({ hasText: 'Long run' }).getByTestId('run-duration');
  await expect(duration).not.toHaveText(/^(0 s|—)$/);
  // Stop asks in the app's own dialog; Cancel keeps it training.
  await page.getByTestId('stop-run').click();
  const ask = page.getByTestId('confirm-dialog');
  await expect(ask).toBeVisible();
  await expect(ask).toContainText('It stops after its current batch');
  await page.screenshot({ path: `${shots}/training-stop-dialog.png` });
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  await expect(page.getByTestId('stop-run')).toBeEnabled();
  await page.getByTestId('stop-run').click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Stop the run' }).click();
  await expect(page.getByTestId('run-result')).toContainText('Ended because you stopped it', { timeout: 60_000 });
  await expect(page.getByTestId('run-result')).toContainText(/Test accuracy \d+\.\d\d %/);
  await expect(page.getByTestId('model-path')).toContainText('/runs/');
  // The stopped run's best checkpoint downloads as a Keras file (HDF5, by its signature).
  const download = page.waitForEvent('download');
  await page.getByTestId('export-keras').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.h5$/);
  const bytes = await readFile((await file.path())!);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Offered only once read back: beside the buttons, what the check found on the run's 500 test digits.
  await expect(page.getByTestId('export-check')).toHaveText(
    /^Keras \(\.h5\) read back and checked: 0 of 500 test predictions changed, largest probability difference \d\.\de-\d+$/,
  );
  await page.getByTestId('run-result').screenshot({ path: `${shots}/training-export-check.png` });

  await startRun(page, 'Short run', 2, 3000);
  await expect(page.getByTestId('run-result')).toContainText('Ended because it trained every epoch', { timeout: 60_000 });
  await page.getByRole('checkbox', { name: 'Compare Long run' }).check();
  await page.getByRole('checkbox', { name: 'Compare Short run' }).check();
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-series', '2');
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('aria-label', /Long run, Short run/);
  await expect(page.getByTestId('history-row').filter({ hasText: 'Short run' })).toContainText('finished');
  await expect(page.getByTestId('history-row').filter({ hasText: 'Long run' })).toContainText('stopped');
  await page.screenshot({ path: `${shots}/training-compare.png` });
});
