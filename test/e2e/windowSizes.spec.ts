import { expect, test, type Page } from '@playwright/test';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainWithCli } from './cliTraining';

// Every view at the smallest window the README promises (800×600) and a common one (1400×900):
// nothing covers anything, nothing is cut, and the rough edges a newcomer hit stay fixed. Each
// view leaves a screenshot at each size.

const url = () => process.env.LAB_URL!;
const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });
const sizes = [
  { width: 800, height: 600 },
  { width: 1400, height: 900 },
];

const train = (preset: 'seed-mlp' | 'seed-cnn', name: string) =>
  trainWithCli(process.env.LAB_DATA_DIR!, { preset, name, limit: 1000, epochs: 1, testLimit: 300 });

/** A run's test accuracy, as its run.json records it. */
const scoreOf = (runId: string) =>
  (JSON.parse(readFileSync(join(process.env.LAB_DATA_DIR!, 'runs', runId, 'run.json'), 'utf8')) as { testAccuracy: number }).testAccuracy;

let mlpId = '';
let cnnId = '';

test.beforeAll(() => {
  cnnId = train('seed-cnn', 'Window CNN');
  mlpId = train('seed-mlp', 'Window MLP');
  // A newer run the user stopped halfway: the views must not open on it.
  const runsDir = join(process.env.LAB_DATA_DIR!, 'runs');
  const stoppedId = 'zz-window-stopped';
  rmSync(join(runsDir, stoppedId), { recursive: true, force: true });
  cpSync(join(runsDir, mlpId), join(runsDir, stoppedId), { recursive: true });
  const state = JSON.parse(readFileSync(join(runsDir, stoppedId, 'run.json'), 'utf8')) as Record<string, unknown>;
  // Newer than every other run, and ended after it began.
  const createdAt = new Date(Date.now() + 1000);
  const endedAt = new Date(createdAt.getTime() + 2000);
  writeFileSync(
    join(runsDir, stoppedId, 'run.json'),
    JSON.stringify({
      ...state,
      name: 'Window stopped',
      status: 'stopped',
      stoppedBy: 'user',
      createdAt: createdAt.toISOString(),
      endedAt: endedAt.toISOString(),
    }),
  );
});

async function show(page: Page, view: string): Promise<void> {
  await page.goto(`${url().split('#')[0]}#${view}`);
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(view, 'i') })).toHaveAttribute('aria-current', 'page');
}

/** The header: every tab whole and clear of the language switch and the backend badge. */
async function expectHeaderClear(page: Page, width: number): Promise<void> {
  const language = (await page.getByRole('combobox', { name: 'Language' }).boundingBox())!;
  for (const tab of await page.getByRole('navigation', { name: 'Views' }).getByRole('button').all()) {
    const box = (await tab.boundingBox())!;
    expect(box.x + box.width, `${await tab.textContent()} ends before the language switch`).toBeLessThanOrEqual(language.x);
  }
  const badge = (await page.getByTestId('backend-badge').boundingBox())!;
  expect(badge.x + badge.width).toBeLessThanOrEqual(width);
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
}

for (const size of sizes) {
  const tag = `${size.width}x${size.height}`;

  test.describe(`at ${tag}`, () => {
    test.use({ viewport: size });

    test('the dataset view and the header fit', async ({ page }) => {
      await show(page, 'dataset');
      await expect(page.getByTestId('image-count')).toHaveText('60,000 images');
      await expectHeaderClear(page, size.width);
      await page.getByTestId('thumbnail-grid').click({ position: { x: 20, y: 20 } });
      await expect(page.getByTestId('pixel-table')).toBeVisible();
      await page.screenshot({ path: `${shots}/dataset-${tag}.png` });
    });

    test("the designer's palette shows every layer's whole name and its ?", async ({ page }) => {
      await show(page, 'designer');
      await expectHeaderClear(page, size.width);
      for (const button of await page.locator('[data-testid^=palette-]').all()) {
        const cut = await button.evaluate((b) => b.scrollWidth > b.clientWidth);
        expect(cut, `${await button.textContent()} is cut`).toBe(false);
      }
      const palette = (await page.getByRole('region', { name: 'Layers' }).boundingBox())!;
      for (const help of await page.locator('summary[aria-label^="What is"]').all()) {
        const box = (await help.boundingBox())!;
        expect(box.width).toBeGreaterThan(8);
        expect(box.x + box.width).toBeLessThanOrEqual(palette.x + palette.width);
      }
      await page.getByRole('button', { name: 'Show code' }).click();
      const code = page.getByTestId('code');
      expect(await code.evaluate((pre) => pre.scrollWidth <= pre.clientWidth)).toBe(true);
      await page.screenshot({ path: `${shots}/designer-code-${tag}.png` });
      await page.getByTestId('code-dialog').getByRole('button', { name: 'Close' }).click();
      await page.screenshot({ path: `${shots}/designer-${tag}.png` });
    });

    test('the training view keeps its charts above the epoch table', async ({ page }) => {
      await page.goto(`${url().split('#')[0]}#training`);
      await page.getByTestId('history-row').filter({ hasText: 'Window CNN' }).getByRole('button', { name: 'Window CNN' }).click();
      const chart = (await page.getByTestId('loss-chart').boundingBox())!;
      const table = (await page.getByTestId('epoch-table').boundingBox())!;
      expect(chart.y).toBeLessThan(table.y);
      expect(chart.y).toBeLessThan(size.height);
      await page.screenshot({ path: `${shots}/training-${tag}.png` });
    });

    test("the inspector lists a cell's images in confidence order beside the matrix, and explains an MLP's missing feature maps", async ({ page }) => {
      test.setTimeout(120_000);
      await show(page, 'inspector');
      // The newest finished run, not the newer one that was stopped.
      await expect(page.getByTestId('inspector-run')).toHaveValue(mlpId);
      await expectHeaderClear(page, size.width);
      await page.getByTestId('inspector-run').selectOption(cnnId);
      // The matrix is the CNN's once it shows the CNN's score.
      await expect(page.getByTestId('inspector-accuracy')).toContainText(`${Math.round(scoreOf(cnnId) * 300)} of 300 right`);
      // Room for three columns of digits at least, beside the matrix.
      const grid = (await page.getByTestId('inspector-grid').boundingBox())!;
      expect(grid.width).toBeGreaterThanOrEqual(3 * (await tileWidth(page)));

      const counts = await page
        .locator('[data-testid^=cell-]')
        .evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-testid')!, Number(c.getAttribute('data-count'))] as const));
      const [cellId, cellCount] = counts.filter(([id, n]) => !/^cell-(\d)-\1$/.test(id) && n >= 2).sort((a, b) => b[1] - a[1])[0]!;
      const [, actual, predicted] = /^cell-(\d)-(\d)$/.exec(cellId)!;
      await page.getByTestId(cellId).click();
      await expect(page.getByTestId('listing-title')).toHaveText(`${cellCount} images of ${actual} read as ${predicted}`);
      await expect(page.getByRole('combobox', { name: 'Order' })).toHaveValue('confidence');
      const confidenceAt = async (x: number) => {
        await page.getByTestId('inspector-grid').click({ position: { x, y: 20 } });
        await expect(page.getByTestId('image-explanation')).toContainText(`a ${actual}, read as ${predicted}`);
        return Number((await page.getByTestId('probability-bars').locator('li.answer .num').textContent())!.replace(' %', ''));
      };
      const [first, second] = [await confidenceAt(20), await confidenceAt(20 + (await tileWidth(page)))];
      expect(first).toBeGreaterThanOrEqual(second);
      await page.screenshot({ path: `${shots}/inspector-${tag}.png` });

      await page.getByTestId('inspector-run').selectOption(mlpId);
      await expect(page.getByTestId('inspector-accuracy')).toContainText(`${Math.round(scoreOf(mlpId) * 300)} of 300 right`);
      await page.getByTestId('inspector-grid').click({ position: { x: 20, y: 20 } });
      await expect(page.getByTestId('no-feature-maps')).toContainText('no convolution or pooling layer', { timeout: 60_000 });
      await page.screenshot({ path: `${shots}/inspector-mlp-${tag}.png` });
    });

    test('the sketchpad opens on the newest finished run, clear of the header', async ({ page }) => {
      await show(page, 'sketchpad');
      await expect(page.getByTestId('sketch-run')).toHaveValue(mlpId);
      await expectHeaderClear(page, size.width);
      // What the model reads sits beside the canvas, not below the window's edge.
      const canvas = (await page.getByTestId('sketch-canvas').boundingBox())!;
      const reading = (await page.getByTestId('sketch-reading').boundingBox())!;
      expect(reading.x).toBeGreaterThanOrEqual(canvas.x + canvas.width);
      expect(reading.y + reading.height).toBeLessThanOrEqual(size.height);
      await page.screenshot({ path: `${shots}/sketchpad-${tag}.png` });
    });
  });
}

test("the browser's Back button steps back through the views", async ({ page }) => {
  await show(page, 'dataset');
  await page.keyboard.press('Alt+2');
  await expect(page).toHaveURL(/#designer$/);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Training' }).click();
  await expect(page).toHaveURL(/#training$/);
  await page.goBack();
  await expect(page).toHaveURL(/#designer$/);
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Designer' })).toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Dataset' })).toHaveAttribute('aria-current', 'page');
  await page.goForward();
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Designer' })).toHaveAttribute('aria-current', 'page');
});

/** The width of one tile of the inspector's grid, read from its layout. */
async function tileWidth(page: Page): Promise<number> {
  return page.getByTestId('inspector-grid').evaluate((grid) => Number(grid.getAttribute('data-cell-size')));
}
