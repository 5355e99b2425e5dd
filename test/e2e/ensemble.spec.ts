import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { trainWithCli } from './cliTraining';
import { digits, draw } from './sketchStrokes';

const url = () => process.env.LAB_URL!;
const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

test('two ticked runs make an ensemble that the inspector and the sketchpad open', async ({ page }) => {
  test.setTimeout(240_000);
  const dataDir = process.env.LAB_DATA_DIR!;
  const trainedIds = [1, 2].map((seed) =>
    trainWithCli(dataDir, { preset: 'seed-cnn', name: `Member ${seed}`, limit: 4000, batchSize: 50, epochs: 1, testLimit: 500, seed }),
  );
  await page.goto(`${url().split('#')[0]}#training`);
  const make = page.getByTestId('make-ensemble');
  await expect(make).toBeDisabled();
  await page.getByRole('checkbox', { name: 'Compare Member 1' }).check();
  await page.getByRole('checkbox', { name: 'Compare Member 2' }).check();
  await make.click();

  const result = page.getByTestId('run-result');
  await expect(page.getByTestId('ensemble-members')).toContainText(/Member 1: \d+\.\d\d %\s*Member 2: \d+\.\d\d %/);
  // It exports as one TensorFlow.js model, checked on the test digits like any export; Keras files are each member's.
  await expect(result.getByTestId('ensemble-export')).toHaveText(
    'The 2 members side by side, their outputs averaged, as one TensorFlow.js model; for Keras files, export each member from its own run.',
  );
  await expect(page.getByTestId('export-keras')).toHaveCount(0);
  const download = page.waitForEvent('download');
  await result.getByTestId('export-tfjs').click();
  expect((await download).suggestedFilename()).toBe('Ensemble of Member 1  Member 2.zip');
  await expect(page.getByTestId('export-check')).toContainText('TensorFlow.js (.zip) read back and checked: 0 of 500 test predictions changed');
  const row = page.getByTestId('history-row').filter({ hasText: 'Ensemble of Member 1 + Member 2' });
  await expect(row).toContainText('ensemble');
  await page.getByTestId('run-history').screenshot({ path: `${shots}/training-ensemble.png` });

  // The inspector opens on the ensemble's own evaluation: the argmax of its members' mean probabilities.
  const runId = /run=([\w-]+)/.exec((await page.getByTestId('inspect-run').getAttribute('href'))!)![1]!;
  const stored = JSON.parse(readFileSync(join(dataDir, 'runs', runId, 'eval.json'), 'utf8')) as { labels: number[]; predicted: number[] };
  const correct = stored.labels.filter((label, i) => label === stored.predicted[i]).length;
  await page.getByTestId('inspect-run').click();
  await expect(page.getByTestId('inspector-accuracy')).toHaveText(new RegExp(`^${correct} of 500 right`));
  await page.getByTestId('inspector-grid').click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId('probability-bars').locator('li')).toHaveCount(10);
  // Saliency is the gradient of the members' mean; an ensemble has no one set of layers to show.
  await expect(page.getByTestId('saliency').locator('canvas')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('feature-maps')).toHaveCount(0);

  // The projector has no one model's layers to show for an ensemble, and says so.
  await page.getByTestId('panel-projector').click();
  await expect(page.getByTestId('projector-error')).toHaveText('An ensemble has no one set of layers to project: open one of its members.');

  // The ensemble keeps its own copy of each member's checkpoint: a member whose checkpoint is gone leaves it whole,
  // and the projector says that member has no model to project.
  const memberId = trainedIds[1]!;
  rmSync(join(dataDir, 'runs', memberId, 'model'), { recursive: true });
  await page.goto(`${url().split('#')[0]}#inspector?run=${memberId}`);
  await page.getByTestId('panel-projector').click();
  await expect(page.getByTestId('projector-error')).toContainText("This run's model cannot be loaded (it has no checkpoint yet");

  await page.goto(`${url().split('#')[0]}#sketchpad?run=${runId}`);
  await expect(page.getByTestId('sketch-run')).toHaveValue(runId);
  const [digit, strokes] = digits[0]!;
  await draw(page, strokes);
  await expect(page.getByTestId('sketch-digit')).toHaveText(digit, { timeout: 30_000 });

  // The sketch goes with the next export's check: the file must read it as the run does.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Alt+3');
  await page.getByTestId('history-row').filter({ hasText: 'Member 1' }).getByRole('button', { name: 'Member 1', exact: true }).click();
  await page.getByTestId('export-keras').click();
  await expect(page.getByTestId('export-check')).toHaveText(
    /test predictions changed, largest probability difference \d\.\de-\d+; your last sketch: 0 read differently \(largest difference \d\.\de[-+]\d+\)$/,
    { timeout: 60_000 },
  );
});
