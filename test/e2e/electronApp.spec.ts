import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedElectronBinary } from '../../scripts/electronBinary.mjs';

// The desktop app itself. It needs Electron's binary, which npm's allowScripts holds back and
// which cannot be downloaded on machines without internet; there the test says so and skips.

const binary = installedElectronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

const skipReason = !binary
  ? "Electron's binary is not installed (run `npx install-electron` on a machine with internet)"
  : noDisplay
    ? 'no display to open a window on (set DISPLAY, e.g. under xvfb-run)'
    : null;

if (skipReason) console.log(`Skipping the Electron app tests: ${skipReason}`);

/** The app on a fresh userData folder, so runs and window state start empty. */
async function launch() {
  const userData = mkdtempSync(join(tmpdir(), 'mnist-lab-electron-'));
  return electron.launch({ executablePath: binary!, args: ['.', `--user-data-dir=${userData}`] });
}

test('the Electron app opens the dataset browser with a sandboxed renderer', async () => {
  test.skip(skipReason !== null, skipReason ?? '');
  const app = await launch();
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

test('in the Electron app: design a model, train it briefly, export it, import it back, and read a drawn digit with it', async () => {
  test.skip(skipReason !== null, skipReason ?? '');
  test.setTimeout(240_000);
  const app = await launch();
  try {
    const window = await app.firstWindow();
    await window.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Designer' }).click();
    await window.getByTestId('preset-select').selectOption('seed-mlp');
    await window.getByTestId('tab-settings').click();
    await window.getByTestId('field-epochs').fill('1');
    await window.getByTestId('field-train-limit').fill('2000');
    await window.getByTestId('field-test-limit').fill('500');
    await window.getByTestId('train-design').click();
    // The training worker runs as a utility process; the run ends with its evaluation.
    await expect(window.getByTestId('run-result')).toContainText(/Test accuracy \d+\.\d\d %/, { timeout: 180_000 });
    const download = window.waitForEvent('download');
    await window.getByTestId('export-keras').click();
    const exported = await download;
    expect(exported.suggestedFilename()).toMatch(/\.h5$/);
    await expect(window.getByTestId('export-check')).toContainText('0 of 500 test predictions changed');
    // The exported file comes back through the file input (and IPC) as an imported run.
    await window.getByTestId('model-file').setInputFiles((await exported.path())!);
    await expect(window.getByTestId('model-import').getByRole('status')).toContainText(/Imported .*% on the test set/, { timeout: 60_000 });
    await expect(window.getByTestId('imported-from')).toContainText('(Keras HDF5)');

    await window.getByTestId('sketch-run-link').click();
    const box = (await window.getByTestId('sketch-canvas').boundingBox())!;
    await window.mouse.move(box.x + 140, box.y + 40);
    await window.mouse.down();
    await window.mouse.move(box.x + 140, box.y + 240, { steps: 10 });
    await window.mouse.up();
    await expect(window.getByTestId('sketch-digit')).toHaveText(/^\d$/, { timeout: 30_000 });
    await window.screenshot({ path: 'test-results/screenshots/electron-sketchpad.png' });
  } finally {
    await app.close();
  }
});
