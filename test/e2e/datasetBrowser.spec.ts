import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const url = () => process.env.LAB_URL!;
const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

async function openDatasetView(page: Page) {
  await page.goto(`${url()}#dataset`);
  await expect(page.getByRole('region', { name: 'Dataset browser' })).toBeVisible();
  await expect(page.getByTestId('image-count')).toHaveText('60,000 images');
}

const detailLabel = (page: Page) => page.getByTestId('detail-label');
const detailIndex = (page: Page) => page.getByTestId('detail-index');

test('train image 0 is a 5 and test image 0 is a 7', async ({ page }) => {
  await openDatasetView(page);
  await page.waitForFunction(() => performance.getEntriesByName('thumbnails:first-draw').length > 0);
  await page.screenshot({ path: `${shots}/dataset-grid.png` });

  await page.getByTestId('thumbnail-grid').click({ position: { x: 20, y: 20 } });
  await expect(detailIndex(page)).toHaveText('0');
  await expect(detailLabel(page)).toHaveText('5');
  await page.screenshot({ path: `${shots}/dataset-train-0.png` });

  await page.getByRole('group', { name: 'Split' }).getByRole('button', { name: /Test/ }).click();
  await expect(page.getByTestId('image-count')).toHaveText('10,000 images');
  await page.getByTestId('thumbnail-grid').click({ position: { x: 20, y: 20 } });
  await expect(detailIndex(page)).toHaveText('0');
  await expect(detailLabel(page)).toHaveText('7');
});

test('filtering the training set to 3 shows 6,131 images, all labelled 3, with their pixel tables', async ({ page }) => {
  await openDatasetView(page);
  await page.getByRole('group', { name: 'Label filter' }).getByRole('button', { name: /^3 / }).click();
  await expect(page.getByTestId('image-count')).toHaveText('6,131 images');

  const grid = page.getByTestId('thumbnail-grid');
  await grid.focus();
  const seenIndices = new Set<string>();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press(i === 0 ? 'Home' : 'ArrowRight');
    await expect(detailLabel(page)).toHaveText('3');
    seenIndices.add((await detailIndex(page).textContent())!);
  }
  expect(seenIndices.size).toBe(12);
  await page.keyboard.press('End');
  await expect(detailLabel(page)).toHaveText('3');

  await page.keyboard.press('Home');
  const table = page.getByTestId('pixel-table');
  await expect(table.locator('tr')).toHaveCount(28);
  await expect(table.locator('tr').first().locator('td')).toHaveCount(28);
  const values = (await table.locator('td').allTextContents()).map(Number);
  expect(Math.max(...values)).toBeGreaterThan(200);
  expect(values.every((v) => v >= 0 && v <= 255)).toBe(true);
  await page.screenshot({ path: `${shots}/dataset-filter-3.png` });

  await page.getByRole('button', { name: '÷ 255' }).click();
  await expect(table.locator('td').first()).toHaveText('0');
  expect((await table.locator('td').allTextContents()).some((t) => /^\.\d\d$/.test(t))).toBe(true);
});

test('the grid scrolls to the end of the 60,000 training images', async ({ page }) => {
  await openDatasetView(page);
  const grid = page.getByTestId('thumbnail-grid');
  await grid.focus();
  await page.keyboard.press('End');
  await expect(detailIndex(page)).toHaveText('59999');
  await expect(detailLabel(page)).toHaveText('8');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${shots}/dataset-end.png` });
});

test('the backend badge says which backend trains and why the others cannot', async ({ page }) => {
  await openDatasetView(page);
  const badge = page.getByTestId('backend-badge');
  await expect(badge).not.toHaveText(/checking/, { timeout: 30_000 });
  await badge.click();
  const popover = page.getByRole('dialog', { name: 'Compute backends' });
  await expect(popover).toContainText('cuda');
  await expect(popover).toContainText('in use');
  await page.screenshot({ path: `${shots}/backend-badge.png` });
});

test('a request without the token is refused', async ({ request }) => {
  const origin = new URL(url()).origin;
  const response = await request.get(`${origin}/`, { headers: { cookie: '' } });
  expect(response.status()).toBe(401);
  expect(await response.text()).toContain('missing or wrong token');
});
