// Builds what the app runs: the Node side with esbuild (dist/main/*.cjs) and the renderer with
// Vite (dist/renderer). `node scripts/build.mjs main` builds only the Node side.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const only = process.argv[2];

const nodeEntries = {
  electronMain: 'main/electron/electronMain.ts',
  trainingWorker: 'main/worker/trainingWorker.ts',
  gradientHelper: 'main/worker/trainers/dataParallel/gradientHelper.ts',
  modelFileThread: 'main/core/modelImport/modelFileThread.ts',
  server: 'main/server/serverMain.ts',
  cli: 'main/cli/cliMain.ts',
};

async function buildMain() {
  // Our own wasm kernels (scripts/buildWasmKernels.mjs) are bundled as bytes: nothing to find at run time, in app.asar or out.
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'linked', logLevel: 'warning', loader: { '.wasm': 'binary' } };
  // Dependencies stay in node_modules: tfjs finds its .wasm files and native bindings there.
  await esbuild({ ...common, entryPoints: nodeEntries, outdir: 'dist/main', outExtension: { '.js': '.cjs' }, packages: 'external' });
  // A sandboxed preload cannot require packages, so it is bundled whole; only electron stays outside.
  await esbuild({
    ...common,
    entryPoints: { preload: 'main/electron/preload.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  });
}

async function buildRenderer() {
  await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
}

await buildMain();
if (only !== 'main') await buildRenderer();
