import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { trainWithCli } from './cliTraining';

const url = () => process.env.LAB_URL!;
const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

test.beforeAll(() => {
  // A small seed CNN trained in the test setup's data folder: 1,000 images, evaluated on 500.
  trainWithCli(process.env.LAB_DATA_DIR!, { preset: 'seed-cnn', name: 'Inspector CNN', limit: 1000, epochs: 1, testLimit: 500 });
});

test('the confusion matrix counts every test image; a cell lists exactly its images; a mistake is explained', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(url());
  await page.keyboard.press('Alt+4');
  const runId = await page.getByTestId('inspector-run').locator('option', { hasText: 'Inspector CNN' }).getAttribute('value');
  await page.getByTestId('inspector-run').selectOption(runId!);
  const summary = await page.getByTestId('inspector-accuracy').textContent();
  const [, correct, total] = /^(\d+) of (\d+) right/.exec(summary!)!;
  expect(Number(total)).toBe(500);

  const counts = await page
    .locator('[data-testid^=cell-]')
    .evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-testid'), Number(c.getAttribute('data-count'))] as const));
  const diagonal = counts.filter(([id]) => /^cell-(\d)-\1$/.test(id!)).reduce((sum, [, n]) => sum + n, 0);
  expect(diagonal).toBe(Number(correct));
  expect(counts.reduce((sum, [, n]) => sum + n, 0)).toBe(500);
  await expect(page.getByTestId('listing-title')).toHaveText(`${500 - Number(correct)} mistakes`);
  await expect(page.getByTestId('inspector-grid')).toHaveAttribute('data-total', String(500 - Number(correct)));

  const [cellId, cellCount] = counts.filter(([id, n]) => !/^cell-(\d)-\1$/.test(id!) && n > 0).sort((a, b) => b[1] - a[1])[0]!;
  const [, actual, predicted] = /^cell-(\d)-(\d)$/.exec(cellId!)!;
  await page.getByTestId(cellId!).click();
  await expect(page.getByTestId('listing-title')).toHaveText(`${cellCount} ${cellCount === 1 ? 'image' : 'images'} of ${actual} read as ${predicted}`);
  await expect(page.getByTestId('inspector-grid')).toHaveAttribute('data-total', String(cellCount));

  await page.getByTestId('inspector-grid').click({ position: { x: 20, y: 20 } });
  const explanation = page.getByTestId('image-explanation');
  await expect(explanation).toContainText(`a ${actual}, read as ${predicted}`);
  await expect(page.getByTestId('probability-bars').locator('li')).toHaveCount(10);
  await expect(page.getByTestId('saliency').locator('canvas')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('feature-maps')).toHaveCount(3);
  await expect(page.getByTestId('kernels').locator('canvas')).toHaveCount(32);
  await page.screenshot({ path: `${shots}/inspector.png` });

  // The mistake goes to the designer's layer previews.
  const index = /Test image (\d+)/.exec(await explanation.innerText())![1];
  await page.getByTestId('inspect-inside').click();
  await expect(page.getByTestId('preview-digit-caption')).toHaveText(`Mistake #${index} from the inspector (a ${actual})`);
  await expect(page.getByTestId('preview-probabilities')).toBeVisible({ timeout: 60_000 });
});

test('a run without an evaluation yet (still training) still explains any test digit with its best checkpoint', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = process.env.LAB_DATA_DIR!;
  const runId = trainWithCli(dataDir, { preset: 'seed-mlp', name: 'Unevaluated', limit: 1000, epochs: 1, testLimit: 100 });
  // What a run in progress looks like to the inspector: a checkpoint, no eval.json yet.
  rmSync(join(dataDir, 'runs', runId, 'eval.json'));

  await page.goto(`${url().split('#')[0]}#inspector?run=${runId}`);
  await expect(page.getByTestId('listing-title')).toHaveText('10,000 test digits');
  await page.getByTestId('inspector-grid').click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId('image-explanation')).toContainText(/a 7, read as \d/, { timeout: 60_000 });
  await expect(page.getByTestId('saliency').locator('canvas')).toBeVisible();
});

test("the epoch slider shows each epoch's matrix, as stored in the run's epochs/ folder, and since when a digit is right or wrong", async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = process.env.LAB_DATA_DIR!;
  const runId = trainWithCli(dataDir, { preset: 'seed-mlp', name: 'Epochs MLP', limit: 600, epochs: 3, testLimit: 300, batchSize: 100 });
  const runDir = join(dataDir, 'runs', runId);
  const { labels } = JSON.parse(readFileSync(join(runDir, 'eval.json'), 'utf8')) as { labels: number[] };
  // epoch-0001.bin: "MLEP", the count, then a predicted digit per image.
  const stored = readFileSync(join(runDir, 'epochs', 'epoch-0001.bin'));
  expect(stored.readUInt32LE(4)).toBe(300);
  const firstEpoch = [...stored.subarray(8, 8 + 300)];
  const cellAtEpochOne = (actual: number, predicted: number) => labels.filter((label, i) => label === actual && firstEpoch[i] === predicted).length;

  await page.goto(`${url().split('#')[0]}#inspector?run=${runId}`);
  await expect(page.getByTestId('inspector-run')).toHaveValue(runId);
  const slider = page.getByTestId('epoch-slider');
  await expect(slider).toContainText("Showing the checkpoint's evaluation");
  await page.getByTestId('epoch-range').fill('0');
  await expect(slider).toContainText('Epoch 1 of 3');
  await expect(slider).toContainText('after epoch 1');
  for (const [actual, predicted] of [
    [7, 7],
    [4, 9],
    [2, 2],
  ] as const) {
    await expect(page.getByTestId(`cell-${actual}-${predicted}`)).toHaveAttribute('data-count', String(cellAtEpochOne(actual, predicted)));
  }
  const rightAtOne = labels.filter((label, i) => label === firstEpoch[i]).length;
  await expect(page.getByTestId('inspector-accuracy')).toContainText(`${rightAtOne} of 300 right`);
  await expect(page.getByTestId('listing-title')).toHaveText(`${300 - rightAtOne} mistakes`);
  await page.getByTestId('inspector-grid').click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId('digit-streak')).toHaveText(/^Wrong at every kept epoch up to 1$/);
  await page.getByTestId('epoch-range').fill('2');
  await expect(page.getByTestId('digit-streak')).toHaveText(
    /^(Fixed at epoch [23]: right since then|Broken at epoch 3: wrong since then|Wrong at every kept epoch up to 3)$/,
  );
  await page.screenshot({ path: `${shots}/inspector-epochs.png` });
  await page.getByTestId('epoch-checkpoint').click();
  await expect(slider).toContainText("Showing the checkpoint's evaluation");
});

test('the projector places every test digit by the last hidden layer; a click explains the digit under the pointer; a lasso lists a group', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(url());
  await page.keyboard.press('Alt+4');
  const runId = await page.getByTestId('inspector-run').locator('option', { hasText: 'Inspector CNN' }).getAttribute('value');
  await page.getByTestId('inspector-run').selectOption(runId!);
  await page.getByTestId('panel-projector').click();
  const projector = page.getByTestId('projector');
  // The seed CNN's last hidden layer is its Dense 128; the convolutions' and the Flatten's thousands of values are too many to offer.
  await expect(page.getByTestId('projector-layer')).toHaveValue(/^dense/);
  const offered = await page.getByTestId('projector-layer').locator('option:not(:disabled)').allInnerTexts();
  expect(offered).toEqual([expect.stringMatching(/^dense\S* \(Dense, 128 values\)$/), expect.stringMatching(/^dropout\S* \(Dropout, 128 values\)$/)]);
  await expect(page.getByTestId('projector-layer').locator('option:disabled')).toHaveCount(5);
  await expect(projector).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('projector')).toContainText("The run's 500 test digits");

  // Sweep the pointer over the canvas until it is over a point: the tooltip names that digit.
  const canvas = page.getByTestId('projector-canvas');
  const box = (await canvas.boundingBox())!;
  const tooltip = page.getByTestId('projector-tooltip');
  let spot: [number, number] | null = null;
  for (let y = 20; y < box.height && !spot; y += 9) {
    for (let x = 20; x < box.width && !spot; x += 9) {
      await page.mouse.move(box.x + x, box.y + y);
      if (await tooltip.isVisible()) spot = [box.x + x, box.y + y];
    }
  }
  expect(spot).not.toBeNull();
  const [, index, actual] = /^Test digit #(\d+): a (\d)/.exec((await tooltip.innerText()).trim())!;
  const stored = JSON.parse(readFileSync(join(process.env.LAB_DATA_DIR!, 'runs', runId!, 'eval.json'), 'utf8')) as { labels: number[] };
  expect(stored.labels[Number(index)]).toBe(Number(actual));
  await page.mouse.click(...spot!);
  await expect(page.getByTestId('image-explanation')).toContainText(`Test image ${index}: a ${actual}`);
  await page.screenshot({ path: `${shots}/inspector-projector.png` });

  // Shift-drag a lasso around the middle of the picture: the grid lists exactly the digits it took.
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
  await page.mouse.down();
  for (const [fx, fy] of [
    [0.8, 0.2],
    [0.8, 0.8],
    [0.2, 0.8],
  ])
    await page.mouse.move(box.x + box.width * fx!, box.y + box.height * fy!, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const title = await page.getByTestId('listing-title').innerText();
  const [, taken] = /^(\d+) images? taken by the lasso in the projector$/.exec(title)!;
  expect(Number(taken)).toBeGreaterThan(0);
  await expect(page.getByTestId('inspector-grid')).toHaveAttribute('data-total', taken!);

  // UMAP, seeded, with its progress shown while it works.
  await page.getByTestId('projector-umap').check();
  await expect(projector).toHaveAttribute('data-method', 'umap');
  await expect(projector).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(canvas).toBeVisible();
});
