import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainWithCli } from './cliTraining';
import { previewsCurrent } from './layerPreviews';
import { startBrowserMode } from './serverProcess';

const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

const cards = (page: Page) => page.getByTestId('layer-card');

test('the seed CNN previewed layer by layer on a test digit: fresh and trained weights, an edit, the receptive field', async ({ page }) => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'mnist-lab-e2e-previews-'));
  trainWithCli(dataDir, { preset: 'seed-cnn', name: 'Preview CNN', limit: 2000, testLimit: 200, epochs: 1 });
  const lab = await startBrowserMode(dataDir);
  try {
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(`${lab.url.split('#')[0]}#designer`);
    await expect(page.getByTestId('preview-digit-caption')).toHaveText('Test digit #0 (a 7)');
    await previewsCurrent(page);
    const kinds = await cards(page).evaluateAll((all) =>
      all.map((card) => card.querySelector('[data-testid=layer-preview]')?.getAttribute('data-kind') ?? null),
    );
    // Input; Conv2D, Conv2D, MaxPooling, Dropout: maps; Flatten, Dense, Dropout: vectors; Dense 10: probabilities.
    expect(kinds).toEqual([null, 'maps', 'maps', 'maps', 'maps', 'vector', 'vector', 'vector', 'probabilities']);
    await expect(cards(page).nth(1).getByTestId('feature-map')).toHaveCount(8);
    await expect(cards(page).nth(1)).toContainText('+24 more');
    const freshReading = await page.getByTestId('preview-probabilities').innerText();

    // The run trained from the same layers is offered; its weights change what every layer outputs.
    const weights = page.getByTestId('preview-weights');
    await expect(weights.locator('option')).toHaveCount(2);
    await weights.selectOption((await weights.locator('option', { hasText: 'Preview CNN' }).getAttribute('value'))!);
    await previewsCurrent(page);
    await expect(page.getByTestId('preview-probabilities')).not.toHaveText(freshReading);
    // A seed CNN trained on 2,000 digits for an epoch already reads test digit 0 as a 7.
    await expect(page.getByTestId('preview-probabilities').locator('li.answer span').first()).toHaveText('7');

    // Hovering a pixel of a pooled map outlines the 6 × 6 pixels of the digit it sees.
    const pooled = cards(page).nth(3).getByTestId('feature-map').first();
    const box = (await pooled.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5 + 1, box.y + box.height * 0.5 + 1);
    const outline = page.getByTestId('preview-digit-outline');
    await expect(outline).toBeVisible();
    const outlined = (await outline.boundingBox())!;
    expect([Math.round(outlined.width), Math.round(outlined.height)]).toEqual([18, 18]);
    await page.screenshot({ path: `${shots}/designer-previews.png` });
    await cards(page).last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/designer-previews-end.png` });

    // 32 → 16 filters: the previews follow, and the run, whose layers no longer match, is not offered.
    await cards(page).nth(1).click();
    await page.getByTestId('layer-editor').getByLabel('Filters').fill('16');
    await previewsCurrent(page);
    await expect(cards(page).nth(1)).toContainText('+8 more');
    await expect(weights.locator('option')).toHaveCount(1);
    await expect(weights).toHaveValue('');

    // A design that cannot be built shows its error on the card, not a preview.
    await page.getByTestId('layer-editor').getByLabel('Filters').fill('32');
    await previewsCurrent(page);
    await page.getByTestId('palette-flatten').dragTo(cards(page).nth(0));
    await expect(cards(page).nth(2).getByTestId('layer-problem')).toBeVisible();
    await expect(page.getByTestId('layer-preview')).toHaveCount(0);
  } finally {
    lab.server.kill();
  }
});

test('the convolution stepped through: every position’s products add up to its feature-map pixel; pooling, dropout and flatten', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`${process.env.LAB_URL!.split('#')[0]}#designer`);
  await page.getByTestId('preset-select').selectOption('seed-cnn');
  await previewsCurrent(page);
  await page.getByTestId('step-through').first().click();
  const dialog = page.getByTestId('step-dialog');
  await expect(dialog.getByTestId('convolution-stepper')).toBeVisible();
  await expect(dialog.getByTestId('convolution-product')).toHaveCount(9);

  // Move the kernel onto the digit's stroke with the arrow keys, step, and check the arithmetic on screen.
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
  await expect(dialog.getByTestId('convolution-position')).toHaveText('Output pixel (row 8, column 12)');
  await dialog.getByTestId('step-forward').click();
  await expect(dialog.getByTestId('convolution-position')).toHaveText('Output pixel (row 8, column 13)');
  await dialog.getByTestId('step-kernel').selectOption('horizontalEdges');
  const products = await dialog.getByTestId('convolution-product').locator('strong').allInnerTexts();
  const sum = Number(await dialog.getByTestId('convolution-sum').innerText());
  expect(Math.abs(products.reduce((total, p) => total + Number(p), 0) - sum)).toBeLessThan(0.05);
  // Under the 7's top bar: bright above, dark below.
  expect(sum).toBeGreaterThan(1);
  await expect(dialog.getByTestId('convolution-output')).toHaveText(sum.toFixed(4));
  await page.screenshot({ path: `${shots}/step-convolution.png` });

  await dialog.getByTestId('step-tab-pooling').click();
  await expect(dialog.getByTestId('pooling-stepper')).toBeVisible();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  const window = (await dialog.getByTestId('pooling-window').innerText())
    .replace(/^[^:]*:\s*/, '')
    .split(', ')
    .map(Number);
  expect(window).toHaveLength(4);
  await expect(dialog.getByTestId('pooling-max')).toHaveText(`max = ${Math.max(...window).toFixed(2)}`);
  const mean = Number((await dialog.getByTestId('pooling-average').innerText()).split('= ')[1]);
  expect(Math.abs(mean - window.reduce((a, b) => a + b, 0) / 4)).toBeLessThan(0.01);
  await page.screenshot({ path: `${shots}/step-pooling.png` });
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByTestId('layer-stack').locator('li').nth(4).getByTestId('step-through').click();
  await expect(dialog.getByTestId('dropout-view')).toBeVisible();
  const firstMask = await dialog.getByTestId('dropout-count').innerText();
  expect(firstMask).toMatch(/^\d+ of 144 zeroed/);
  await dialog.getByTestId('dropout-new-mask').click();
  await expect(dialog.getByTestId('dropout-count')).not.toHaveText(firstMask);
  await page.screenshot({ path: `${shots}/step-dropout.png` });
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByTestId('layer-stack').locator('li').nth(5).getByTestId('step-through').click();
  const map = dialog.getByTestId('flatten-map');
  const box = (await map.boundingBox())!;
  // Pixel (1, 2) of channel 0 of a 12 × 12 × 64 input lands at (1 × 12 + 2) × 64 = 896.
  await page.mouse.move(box.x + (2.5 * box.width) / 12, box.y + (1.5 * box.height) / 12);
  await expect(dialog.getByTestId('flatten-index')).toHaveText('(1, 2, 0) → 896 / 9,216');
  await page.screenshot({ path: `${shots}/step-flatten.png` });

  // In Korean too.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
  await page.getByTestId('step-through').first().click();
  await expect(dialog).toContainText('단계별 보기: Conv2D');
  await expect(dialog.getByTestId('convolution-stepper')).toContainText('픽셀 × 가중치 = 곱');
});

test("deep-cnn's augmentation previewed with the trainer's own code, and another sample on request", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`${process.env.LAB_URL!.split('#')[0]}#designer`);
  await page.getByTestId('preset-select').selectOption('deep-cnn');
  await page.getByTestId('tab-settings').click();
  const preview = page.getByTestId('augmentation-preview');
  await expect(preview.getByTestId('augmented-digit')).toHaveCount(16);
  await previewsCurrent(page);
  const firstDigit = preview.getByTestId('augmented-digit').first().locator('canvas');
  const before = await firstDigit.screenshot();
  await preview.getByTestId('augmentation-another').click();
  await expect(preview).toHaveAttribute('data-sample', '1');
  await expect(async () => {
    expect((await firstDigit.screenshot()).equals(before)).toBe(false);
  }).toPass();
  await page.screenshot({ path: `${shots}/designer-augmentation.png` });
});
