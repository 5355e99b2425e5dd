import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { backendNames, type BackendName } from '../../shared/apiTypes';
import { errorMessage } from '../../shared/errorMessage';
import { builtInMnistDirectory } from '../core/datasets/datasetStore';
import { findDatasetFiles, type DatasetFiles } from '../common/idx/loadIdxDataset';
import { WorkerHost } from '../core/workerHost';
import { cliWorkerLauncher } from './cliLabService';

// Training throughput per backend and model, and, where Debian's python3-torch is installed
// with OpenBLAS, the PyTorch peer on the same CPU in the same run: ratios, and how both scale
// with threads.

const seedBatchSize = 200;
const models = ['seed-mlp', 'seed-cnn'] as const;
type Model = (typeof models)[number];

interface Measure {
  warmup: number;
  batches: number;
  /** The seed's 200, except where one such batch would take minutes. */
  batchSize: number;
}

/** Timed batches per backend and model: enough for a stable figure, few enough to finish in minutes. */
const plan: Record<BackendName, Record<Model, Measure>> = {
  cuda: { 'seed-mlp': { warmup: 5, batches: 100, batchSize: seedBatchSize }, 'seed-cnn': { warmup: 5, batches: 50, batchSize: seedBatchSize } },
  // Few batches: the software adapter (SwiftShader), all there is without a GPU, trains the CNN at a few images a second.
  webgpu: { 'seed-mlp': { warmup: 3, batches: 20, batchSize: seedBatchSize }, 'seed-cnn': { warmup: 1, batches: 2, batchSize: 50 } },
  cpu: { 'seed-mlp': { warmup: 3, batches: 50, batchSize: seedBatchSize }, 'seed-cnn': { warmup: 2, batches: 10, batchSize: seedBatchSize } },
  wasm: { 'seed-mlp': { warmup: 5, batches: 100, batchSize: seedBatchSize }, 'seed-cnn': { warmup: 3, batches: 30, batchSize: seedBatchSize } },
  // Pure JavaScript trains the CNN at about one image a second: one batch of 20 tells enough.
  js: { 'seed-mlp': { warmup: 1, batches: 5, batchSize: seedBatchSize }, 'seed-cnn': { warmup: 0, batches: 1, batchSize: 20 } },
};
const peerImages: Record<Model, number> = { 'seed-mlp': 20_000, 'seed-cnn': 6_000 };

const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(46)} ${value}\n`);
const rate = (imagesPerSecond: number) => (imagesPerSecond < 100 ? imagesPerSecond.toFixed(1) : String(Math.round(imagesPerSecond)));

function peerScript(): string | null {
  const candidates = [process.env.MNIST_LAB_PEER, resolve(__dirname, '..', '..', '..', 'shared', 'peer', 'torch_bench.py')];
  return candidates.find((path): path is string => !!path && existsSync(path)) ?? null;
}

interface PeerResult {
  imagesPerSecond: number;
  version: string;
  blas: string;
}

/** The PyTorch peer, if it can run here; otherwise the reason it is skipped. */
function peerRunner(): { run: (model: Model, threads: number) => PeerResult } | { skipped: string } {
  const script = peerScript();
  if (!script) return { skipped: '../shared/peer/torch_bench.py not found (set MNIST_LAB_PEER)' };
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return { skipped: "Debian's python3-torch is not installed (apt-get install python3-torch libopenblas0-pthread)" };
  }
  return {
    run(model, threads) {
      const out = execFileSync(
        '/usr/bin/python3',
        [script, model === 'seed-mlp' ? 'mlp' : 'cnn', String(peerImages[model]), String(threads), builtInMnistDirectory()],
        {
          encoding: 'utf8',
          timeout: 600_000,
        },
      );
      const result = JSON.parse(out.trim().split('\n').pop()!) as { images_per_second: number; peer: string; blas?: string };
      return { imagesPerSecond: result.images_per_second, version: result.peer, blas: result.blas ?? 'unknown' };
    },
  };
}

/**
 * The PyTorch peer on a CUDA GPU (../shared/peer/torch_gpu_bench.py), for the GPU rows: the
 * fastest of its three epochs per model, or why it cannot run here.
 */
function gpuPeer(): Map<Model, PeerResult> | { skipped: string } {
  const script = resolve(__dirname, '..', '..', '..', 'shared', 'peer', 'torch_gpu_bench.py');
  if (!existsSync(script)) return { skipped: '../shared/peer/torch_gpu_bench.py not found' };
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch; assert torch.cuda.is_available()'], { stdio: 'ignore' });
  } catch {
    return { skipped: 'PyTorch sees no CUDA GPU here' };
  }
  // It reads MNIST's four files gzipped.
  const data = mkdtempSync(join(tmpdir(), 'mnist-lab-gpu-peer-'));
  for (const name of readdirSync(builtInMnistDirectory())) writeFileSync(join(data, `${name}.gz`), gzipSync(readFileSync(join(builtInMnistDirectory(), name))));
  let out: string;
  try {
    out = execFileSync('/usr/bin/python3', [script, data], { encoding: 'utf8', timeout: 900_000 });
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
  const best = new Map<Model, PeerResult>();
  for (const line of out.trim().split('\n')) {
    const r = JSON.parse(line) as { peer: string; gpu: string; model: 'mlp' | 'cnn'; images_per_second: number };
    const model: Model = r.model === 'mlp' ? 'seed-mlp' : 'seed-cnn';
    if ((best.get(model)?.imagesPerSecond ?? 0) < r.images_per_second)
      best.set(model, { imagesPerSecond: r.images_per_second, version: `${r.peer}, ${r.gpu}`, blas: 'cuda' });
  }
  return best;
}

/** A ratio only against a peer that is not crippled by the reference BLAS. */
const isFairPeer = (peer: PeerResult) => !peer.blas.startsWith('reference');

/** The plan's measure, or `gpuBatches` timed batches on a GPU backend when given (a real GPU takes thousands a second; the software adapter a few). */
function measureOf(backend: BackendName, model: Model, gpuBatches: number | null): Measure {
  const measure = plan[backend][model];
  return gpuBatches !== null && (backend === 'webgpu' || backend === 'cuda') ? { ...measure, warmup: Math.min(5, gpuBatches), batches: gpuBatches } : measure;
}

async function benchOne(host: WorkerHost, files: DatasetFiles, backend: BackendName, model: Model, threads: number | null, measure = plan[backend][model]) {
  const { warmup, batches, batchSize } = measure;
  return host.bench({ type: 'bench', backend, presetId: model, batchSize, warmupBatches: warmup, batches, threads, files });
}

/** 1, 2, 4, … up to the core count (and the core count itself). */
export function threadSteps(cores: number): number[] {
  const steps: number[] = [];
  for (let n = 1; n < cores; n *= 2) steps.push(n);
  return [...steps, cores];
}

/** Images/s at each thread count, and the speedup of the most threads over one and over two. */
function scalingRow(figures: number[], steps: number[]): string {
  const over = (n: number) => {
    const i = steps.indexOf(n);
    return i >= 0 && steps.length - 1 > i ? `   ×${(figures.at(-1)! / figures[i]!).toFixed(2)} over ${n}` : '';
  };
  return `${figures.map(rate).join('   ')}${over(1)}${over(2)}`;
}

async function benchScaling(host: WorkerHost, files: DatasetFiles, peer: ReturnType<typeof peerRunner>, cores: number): Promise<void> {
  const steps = threadSteps(cores);
  process.stdout.write(`\nscaling: images/s at ${steps.join(', ')} threads\n`);
  for (const model of models) {
    const ours = [];
    for (const threads of steps) ours.push((await benchOne(host, files, 'wasm', model, threads)).imagesPerSecond);
    line(`  ${model} MNIST Lab (wasm)`, scalingRow(ours, steps));
    if ('run' in peer)
      line(
        `  ${model} PyTorch`,
        scalingRow(
          steps.map((threads) => peer.run(model, threads).imagesPerSecond),
          steps,
        ),
      );
  }
}

export async function benchTraining(only: BackendName[] | null, timedGpuBatches: number | null = null): Promise<void> {
  const host = new WorkerHost(cliWorkerLauncher());
  const files = await findDatasetFiles(builtInMnistDirectory());
  const cores = availableParallelism();
  const peer = peerRunner();
  const reference = new Map<Model, PeerResult>();
  const gpuBackends: BackendName[] = ['cuda', 'webgpu'];
  const gpuReference = (only ?? backendNames).some((b) => gpuBackends.includes(b)) ? gpuPeer() : new Map<Model, PeerResult>();
  if ('skipped' in gpuReference) line('PyTorch peer on a GPU', `skipped: ${gpuReference.skipped}`);
  else for (const [model, result] of gpuReference) line(`${model} PyTorch peer (${result.version})`, `${Math.round(result.imagesPerSecond)} images/s`);
  for (const model of models) {
    if ('skipped' in peer) {
      line(`${model} PyTorch peer`, `skipped: ${peer.skipped}`);
      continue;
    }
    const result = peer.run(model, cores);
    reference.set(model, result);
    const verdict = isFairPeer(result)
      ? ''
      : '   no ratios: PyTorch loaded the reference BLAS, 5-10× slower than OpenBLAS (apt-get install libopenblas0-pthread)';
    line(`${model} PyTorch peer (${result.version}, ${result.blas}, ${cores} threads)`, `${Math.round(result.imagesPerSecond)} images/s${verdict}`);
  }
  for (const backend of only ?? backendNames) {
    for (const model of models) {
      const measure = measureOf(backend, model, timedGpuBatches);
      const { batches, batchSize } = measure;
      try {
        const result = await benchOne(host, files, backend, model, null, measure);
        // GPU rows against the GPU peer; CPU rows against the CPU peer.
        const peerResult = gpuBackends.includes(backend) ? ('skipped' in gpuReference ? undefined : gpuReference.get(model)) : reference.get(model);
        const ratio = peerResult && isFairPeer(peerResult) ? `   ${(result.imagesPerSecond / peerResult.imagesPerSecond).toFixed(2)}× peer` : '';
        const split = result.splitSteps ? ` (batch split over them on ${result.splitSteps.split} of ${result.splitSteps.all} steps)` : '';
        const threads = result.threads > 1 ? `, ${result.threads} threads${split}` : '';
        const adapter = result.adapter ? ` · ${result.adapter}` : '';
        line(`${model} on ${backend}${adapter} (batch ${batchSize}, ${batches} timed${threads})`, `${rate(result.imagesPerSecond)} images/s${ratio}`);
        if (result.engine) {
          const { dispatchesPerStep, jsMsPerStep, jsMsPerStepMedian, gflopsPerStep } = result.engine;
          const tflops = (gflopsPerStep * (result.imagesPerSecond / batchSize)) / 1000;
          // The mean takes in the times the OS gave the CPU to other threads (a software adapter's): the median is JavaScript's own.
          const javascript = `${jsMsPerStepMedian.toFixed(3)} ms of JavaScript (median; mean ${jsMsPerStep.toFixed(3)})`;
          line(
            `  ${model} WebGPU engine, a step`,
            `${dispatchesPerStep} dispatches, ${javascript}, ${gflopsPerStep.toFixed(2)} GFLOP (${tflops.toFixed(3)} TFLOP/s achieved)`,
          );
        } else if (result.wasmKernels) {
          const { simd, ran } = result.wasmKernels;
          line(`  ${model} wasm kernels (${simd === 'relaxed SIMD' ? 'relaxed SIMD: fused multiply-add' : 'plain SIMD'})`, ran.join(', ') || "tfjs' own only");
        } else if (backend === 'webgpu') line(`  ${model} WebGPU engine`, "not used: tfjs' WebGPU backend trained it (see the worker's note above)");
      } catch (error) {
        line(`${model} on ${backend}`, `unavailable: ${errorMessage(error)}`);
        break;
      }
    }
  }
  if (!only || only.includes('wasm')) await benchScaling(host, files, peer, cores);
}
