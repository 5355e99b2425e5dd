import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { BackendCandidate, BackendChoice, BackendName, BackendReport } from '../../shared/apiTypes';
import { listNvidiaGpus, missingCudaLibraries, type GpuDevice } from './cudaProbe';
import { registerFastWasmKernels } from './wasmKernels/registerFastWasmKernels';

const packages: Record<BackendName, string> = {
  cuda: '@tensorflow/tfjs-node-gpu',
  cpu: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  js: '@tensorflow/tfjs-backend-cpu',
};
const order: BackendName[] = ['cuda', 'cpu', 'wasm', 'js'];
const cudaHelp = 'tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8.1 (see the README, GPU setup)';

function requireOptional(name: string): { ok: true } | { ok: false; reason: string } {
  try {
    // Native packages are optional: required at run time, never bundled.
    require(name);
    return { ok: true };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(name)) {
      return { ok: false, reason: `${name} is not installed (its install step downloads libtensorflow, which failed or was skipped)` };
    }
    return { ok: false, reason: `${name} is installed but libtensorflow failed to load: ${e.message.split('\n')[0]}` };
  }
}

/** Which GPU the user picked through CUDA_VISIBLE_DEVICES (the host sets it), else the first. */
function chosenGpu(gpus: GpuDevice[]): GpuDevice | null {
  const visible = Number.parseInt(process.env.CUDA_VISIBLE_DEVICES ?? '', 10);
  return gpus[Number.isInteger(visible) ? visible : 0] ?? gpus[0] ?? null;
}

/**
 * Loads the best backend allowed by `choice` (auto: cuda → cpu → wasm → js) and says why each
 * better one could not be used. Call once per process: the two native packages cannot share one.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendReport> {
  const reasons = new Map<BackendName, string | null>();
  const tryOrder = choice === 'auto' ? order : [choice];
  for (const name of order) if (!tryOrder.includes(name)) reasons.set(name, `not tried: the ${choice} backend was requested`);
  let active: BackendName | null = null;
  let nativeLoaded = false;
  const gpus = listNvidiaGpus();

  for (const name of tryOrder) {
    if (name === 'cuda') {
      const loaded = requireOptional(packages.cuda);
      if (!loaded.ok) {
        reasons.set('cuda', loaded.reason);
        continue;
      }
      nativeLoaded = true;
      const missing = missingCudaLibraries();
      if (gpus.length === 0) reasons.set('cuda', 'libtensorflow (GPU build) loaded, but nvidia-smi finds no NVIDIA GPU or driver');
      else if (missing.length > 0) reasons.set('cuda', `libtensorflow loaded, but ${missing.join(', ')} cannot be found, so TensorFlow has no GPU device; ${cudaHelp}`);
      else {
        reasons.set('cuda', null);
        active = 'cuda';
        break;
      }
      // The GPU build still runs on the CPU, and tfjs-node cannot be loaded beside it.
      if (choice === 'auto') {
        reasons.set('cpu', null);
        active = 'cpu';
        break;
      }
      continue;
    }
    if (name === 'cpu') {
      const loaded = nativeLoaded ? ({ ok: true } as const) : requireOptional(packages.cpu);
      if (!loaded.ok) {
        reasons.set('cpu', loaded.reason);
        continue;
      }
      reasons.set('cpu', null);
      active = 'cpu';
      break;
    }
    if (name === 'wasm') {
      try {
        require(packages.wasm);
        registerFastWasmKernels();
        if (await tf.setBackend('wasm')) {
          reasons.set('wasm', null);
          active = 'wasm';
          break;
        }
        reasons.set('wasm', 'the WebAssembly backend failed to initialise');
      } catch (error) {
        reasons.set('wasm', `the WebAssembly backend failed to load: ${(error as Error).message}`);
      }
      continue;
    }
    if (await tf.setBackend('cpu')) {
      reasons.set('js', null);
      active = 'js';
      break;
    }
    reasons.set('js', 'the JavaScript backend failed to initialise');
  }

  if (active === 'cuda' || active === 'cpu') await tf.setBackend('tensorflow');
  for (const name of order) {
    if (!reasons.has(name)) reasons.set(name, active ? `not needed: ${active} was chosen first` : 'not tried');
  }
  const candidates: BackendCandidate[] = order.map((name) => ({
    name,
    packageName: packages[name],
    available: reasons.get(name) === null,
    reason: reasons.get(name) ?? null,
  }));
  return { requested: choice, active, candidates, gpu: chosenGpu(gpus), tfjsVersion: tf.version_core };
}
