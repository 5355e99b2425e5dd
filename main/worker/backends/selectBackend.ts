import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { backendNames, type BackendCandidate, type BackendChoice, type BackendName, type BackendReport } from '../../../shared/apiTypes';
import { listNvidiaGpus, missingCudaLibraries, type GpuDevice } from './cudaProbe';
import { nativeKernelFlavour } from '../kernels/wasm/native/nativeKernels';
import { registerFastWasmKernels } from '../kernels/wasm/registerFastWasmKernels';
import { tryWebGpu } from './startWebGpu';
import { errorMessage } from '../../../shared/errorMessage';
import { backendReason, wordBackendReason, type BackendReason } from '../../../shared/backendReasons';

const packages: Record<BackendName, string> = {
  cuda: '@tensorflow/tfjs-node-gpu',
  webgpu: 'webgpu + @tensorflow/tfjs-backend-webgpu',
  cpu: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  js: '@tensorflow/tfjs-backend-cpu',
};
function requireOptional(name: string): { ok: true } | { ok: false; reason: BackendReason } {
  try {
    // Native packages are optional: required at run time, never bundled.
    require(name);
    return { ok: true };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(name)) {
      return { ok: false, reason: backendReason('notInstalled', { package: name }) };
    }
    return { ok: false, reason: backendReason('nativeFailed', { package: name, detail: e.message.split('\n')[0]! }) };
  }
}

/** Which GPU the user picked through CUDA_VISIBLE_DEVICES (the host sets it), else the first. */
function chosenGpu(gpus: GpuDevice[]): GpuDevice | null {
  const visible = Number.parseInt(process.env.CUDA_VISIBLE_DEVICES ?? '', 10);
  return gpus[Number.isInteger(visible) ? visible : 0] ?? gpus[0] ?? null;
}

/** What trying one backend gave: it is active (reason null), or the reason it cannot be; `fallback` names the one it leaves usable instead. */
interface Attempt {
  reason: BackendReason | null;
  fallback?: BackendName;
}

interface LoadContext {
  choice: BackendChoice;
  gpus: GpuDevice[];
  /** libtensorflow is loaded already (by the GPU package), so tfjs-node must not be loaded beside it. */
  nativeLoaded: boolean;
  /** The WebGPU adapter found, if any. */
  webGpuAdapter?: string;
}

function tryCuda(context: LoadContext): Attempt {
  const loaded = requireOptional(packages.cuda);
  if (!loaded.ok) return { reason: loaded.reason };
  context.nativeLoaded = true;
  const missing = missingCudaLibraries();
  const reason =
    context.gpus.length === 0 ? backendReason('noNvidiaGpu') : missing.length > 0 ? backendReason('cudaLibraries', { libraries: missing.join(', ') }) : null;
  // The GPU build still runs on the CPU, and tfjs-node cannot be loaded beside it.
  return reason && context.choice === 'auto' ? { reason, fallback: 'cpu' } : { reason };
}

function tryNativeCpu(context: LoadContext): Attempt {
  const loaded = context.nativeLoaded ? ({ ok: true } as const) : requireOptional(packages.cpu);
  return { reason: loaded.ok ? null : loaded.reason };
}

async function tryWasm(): Promise<Attempt> {
  try {
    require(packages.wasm);
    registerFastWasmKernels();
    return { reason: (await tf.setBackend('wasm')) ? null : backendReason('wasmInit') };
  } catch (error) {
    return { reason: backendReason('wasmLoad', { detail: errorMessage(error) }) };
  }
}

async function tryJs(): Promise<Attempt> {
  return { reason: (await tf.setBackend('cpu')) ? null : backendReason('jsInit') };
}

/** WebGPU through Dawn; the adapter's name goes into the report as its GPU. */
async function tryWebGpuBackend(context: LoadContext): Promise<Attempt> {
  const attempt = await tryWebGpu(context.choice === 'webgpu');
  if (attempt.adapterName) context.webGpuAdapter = attempt.adapterName;
  return { reason: attempt.reason };
}

/** How to try each backend, in the order `auto` tries them. */
const loaders: Record<BackendName, (context: LoadContext) => Attempt | Promise<Attempt>> = {
  cuda: tryCuda,
  webgpu: tryWebGpuBackend,
  cpu: tryNativeCpu,
  wasm: tryWasm,
  js: tryJs,
};

/**
 * Loads the best backend allowed by `choice` (auto: cuda → webgpu → cpu → wasm → js) and says why each
 * better one could not be used. Call once per process: the two native packages cannot share one.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendReport> {
  const reasons = new Map<BackendName, BackendReason | null>();
  const tryOrder: readonly BackendName[] = choice === 'auto' ? backendNames : [choice];
  for (const name of backendNames) if (!tryOrder.includes(name)) reasons.set(name, backendReason('notRequested', { choice }));
  const context: LoadContext = { choice, gpus: listNvidiaGpus(), nativeLoaded: false };
  let active: BackendName | null = null;
  for (const name of tryOrder) {
    const attempt = await loaders[name](context);
    reasons.set(name, attempt.reason);
    active = attempt.reason === null ? name : (attempt.fallback ?? null);
    if (attempt.fallback) reasons.set(attempt.fallback, null);
    if (active) break;
  }
  if (active === 'cuda' || active === 'cpu') await tf.setBackend('tensorflow');
  for (const name of backendNames) {
    if (!reasons.has(name)) reasons.set(name, active ? backendReason('notNeeded', { active }) : backendReason('notTried'));
  }
  const candidates: BackendCandidate[] = backendNames.map((name) => {
    const why = reasons.get(name) ?? null;
    return { name, packageName: packages[name], available: why === null, reason: why && wordBackendReason(why), why };
  });
  const gpu = active === 'webgpu' && context.webGpuAdapter ? { name: context.webGpuAdapter, memoryMB: null } : chosenGpu(context.gpus);
  return { requested: choice, active, candidates, gpu, tfjsVersion: tf.version_core, ...(active === 'wasm' ? { wasmSimd: nativeKernelFlavour() } : {}) };
}
