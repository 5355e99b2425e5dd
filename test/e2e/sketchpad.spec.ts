import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainWithCli } from './cliTraining';
import { startBrowserMode } from './serverProcess';

const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

/** Draws strokes (lists of points on the 280 × 280 canvas) with the mouse. */
async function draw(page: Page, strokes: [number, number][][]) {
  const box = (await page.getByTestId('sketch-canvas').boundingBox())!;
  for (const stroke of strokes) {
    await page.mouse.move(box.x + stroke[0]![0], box.y + stroke[0]![1]);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 5 });
    await page.mouse.up();
  }
}

const ring = Array.from(
  { length: 25 },
  (_, i) => [140 + 60 * Math.sin((i / 24) * 2 * Math.PI), 140 - 95 * Math.cos((i / 24) * 2 * Math.PI)] as [number, number],
);
const digits: [string, [number, number][][]][] = [
  [
    '1',
    [
      [
        [140, 40],
        [140, 240],
      ],
    ],
  ],
  ['0', [ring]],
  [
    '7',
    [
      [
        [70, 50],
        [210, 50],
        [120, 240],
      ],
    ],
  ],
];

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
