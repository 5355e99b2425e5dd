// `npm start`: build, then run the Electron app. Electron's package downloads its binary only
// when first asked, so it may be missing: we run Electron's own installer once, quietly, and
// where it cannot download (no internet) we say so in one line and start browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { installedElectronBinary } from './electronBinary.mjs';

const require = createRequire(import.meta.url);

function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

let binary = installedElectronBinary();
if (!binary) {
  const installer = require.resolve('electron/install.js');
  const install = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 300_000 });
  binary = install.status === 0 ? installedElectronBinary() : null;
  if (!binary) {
    const reason =
      (install.stderr || '')
        .split('\n')
        .find((line) => /error/i.test(line))
        ?.trim() ?? 'the download failed';
    console.log(`Electron's binary could not be downloaded (${reason}); starting browser mode instead.`);
  }
}

if (binary) run(binary, ['.']);
else run(process.execPath, ['dist/main/server.cjs', ...process.argv.slice(2)]);
