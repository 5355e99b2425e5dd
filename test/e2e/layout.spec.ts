import { expect, test, type Page } from '@playwright/test';

const url = () => process.env.LAB_URL!;
const shots = 'test-results/screenshots';

async function open(page: Page) {
  await page.goto(`${url()}#dataset`);
  await expect(page.getByTestId('image-count')).toHaveText('60,000 images');
  await page.waitForFunction(() => performance.getEntriesByName('thumbnails:first-draw').length > 0);
  await page.getByTestId('thumbnail-grid').click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId('detail-label')).toHaveText('5');
}

test('at 800×600 the toolbar keeps to two rows and nothing spills sideways', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await open(page);
  const toolbar = await page.locator('.toolbar').boundingBox();
  expect(toolbar!.height).toBeLessThan(100);
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
  const grid = await page.getByTestId('thumbnail-grid').boundingBox();
  const detail = await page.getByTestId('image-detail').boundingBox();
  expect(grid!.width).toBeGreaterThan(300);
  expect(detail!.x + detail!.width).toBeLessThanOrEqual(800);
  await page.screenshot({ path: `${shots}/layout-800x600.png` });
});

test('at 1920×1080 the grid takes the room and the detail panel stays readable', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await open(page);
  const grid = await page.getByTestId('thumbnail-grid').boundingBox();
  expect(grid!.width).toBeGreaterThan(1200);
  await page.screenshot({ path: `${shots}/layout-1920x1080.png` });
});

test('the theme follows the operating system, light or dark', async ({ page }) => {
  const background = () => page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page);
  const light = await background();
  await page.screenshot({ path: `${shots}/theme-light.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  expect(light).toBe('rgb(245, 246, 248)');
  expect(dark).toBe('rgb(18, 21, 28)');
  await page.screenshot({ path: `${shots}/theme-dark.png` });
});

test('each view has a shortcut and the address remembers the view', async ({ page }) => {
  await open(page);
  await page.keyboard.press('Alt+1');
  await expect(page).toHaveURL(/#dataset$/);
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Dataset' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Dataset' })).toHaveAttribute('title', 'Dataset (Alt+1)');
});
