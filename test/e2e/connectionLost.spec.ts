import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

/** A server of this test's own, since the test stops it. */
async function startOwnServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'mnist-lab-e2e-lost-'));
  const server = spawn(process.execPath, ['dist/main/server.cjs', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /MNIST Lab at (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`the server exited with code ${code}`)));
  });
  return { server, url };
}

test('when the server stops, a banner says so and reconnecting is bounded and quiet', async ({ page }) => {
  const { server, url } = await startOwnServer();
  const consoleMessages: string[] = [];
  page.on('console', (message) => consoleMessages.push(message.text()));
  await page.goto(url);
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
