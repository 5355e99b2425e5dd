import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { startBrowserMode } from './serverProcess';

const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

test('when the server stops, a banner says so and reconnecting is bounded and quiet', async ({ page }) => {
  // A server of this test's own, since the test stops it.
  const { server, url } = await startBrowserMode();
  const consoleMessages: string[] = [];
  page.on('console', (message) => consoleMessages.push(message.text()));
  await page.goto(`${url}#dataset`);
  await expect(page.getByTestId('image-count')).toHaveText('60,000 images');
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);

  server.kill();
  const banner = page.getByTestId('connection-banner');
  await expect(banner).toContainText('MNIST Lab stopped; restart npm start and reload.');
  await expect(banner).toContainText(/Reconnecting \(attempt \d of 8\)/);
  await page.screenshot({ path: `${shots}/connection-lost.png` });

  // Attempts 1–4 fall within 0.5 + 1 + 2 + 4 s; the console gets a line per attempt at most, not a flood.
  await page.waitForTimeout(8000);
  await expect(banner).toContainText(/attempt [4-8] of 8/);
  expect(consoleMessages.length).toBeLessThanOrEqual(8);
});
