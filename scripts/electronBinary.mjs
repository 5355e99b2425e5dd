// Where Electron's binary is, without downloading it. Since Electron 42, `require('electron')`
// downloads a missing binary on the spot (printing to stdout and throwing where it cannot), so
// callers that only want to know ask here: node_modules/electron/path.txt names the binary
// inside node_modules/electron/dist once its installer has run.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function installedElectronBinary() {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}
