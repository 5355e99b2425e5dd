import { defineConfig } from '@playwright/test';

// End-to-end tests drive the renderer in Debian's Chromium against browser mode (the Electron
// binary cannot be downloaded on the build machines). Playwright never downloads a browser here.
export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/globalSetup.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  use: {
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
});
