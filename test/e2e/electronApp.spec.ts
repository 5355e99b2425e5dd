import { _electron as electron, expect, test } from '@playwright/test';
import { createRequire } from 'node:module';

// The desktop app itself. It needs Electron's binary, which npm's allowScripts holds back and
// which cannot be downloaded on machines without internet; there the test says so and skips.

function electronBinary(): string | null {
  try {
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

const skipReason = !binary
  ? "Electron's binary is not installed (run `node node_modules/electron/install.js` on a machine with internet)"
  : noDisplay
    ? 'no display to open a window on (set DISPLAY, e.g. under xvfb-run)'
    : null;

test('the Electron app opens the dataset browser with a sandboxed renderer', async () => {
  if (skipReason) console.log(`Skipping the Electron app test: ${skipReason}`);
  test.skip(skipReason !== null, skipReason ?? '');
  const app = await electron.launch({ executablePath: binary!, args: ['.'] });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('image-count')).toHaveText('60,000 images');
    expect(new URL(window.url()).protocol).toBe('app:');
    // Only the named bridge reaches the page: no Node, no ipcRenderer.
    const page = await window.evaluate(() => ({
      bridge: typeof (window as unknown as { lab?: { call?: unknown } }).lab?.call,
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(page).toEqual({ bridge: 'function', require: 'undefined', process: 'undefined' });
    await window.screenshot({ path: 'test-results/screenshots/electron-app.png' });
  } finally {
    await app.close();
  }
});
