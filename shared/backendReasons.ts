import { fillTemplate } from './fillTemplate';

/**
 * Why a backend cannot train here, worded in English as the CLI and the logs say it. A candidate carries the key and
 * parameters too, so the interface words it in the user's language (its catalogue has `backendReason.<key>`).
 */
export const backendReasons = {
  notInstalled: '{package} is not installed (its install step downloads libtensorflow, which failed or was skipped)',
  nativeFailed: '{package} is installed but libtensorflow failed to load: {detail}',
  noNvidiaGpu: 'libtensorflow (GPU build) loaded, but nvidia-smi finds no NVIDIA GPU or driver',
  cudaLibraries:
    'libtensorflow loaded, but {libraries} cannot be found, so TensorFlow has no GPU device; tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8.1 (see the README, GPU setup)',
  wasmInit: 'the WebAssembly backend failed to initialise',
  wasmLoad: 'the WebAssembly backend failed to load: {detail}',
  jsInit: 'the JavaScript backend failed to initialise',
  dawnLoad: 'the webgpu package (Dawn) failed to load: {detail}',
  noAdapter: 'Dawn found no WebGPU adapter: no GPU driver, or no Vulkan loader (Debian/Ubuntu: apt-get install libvulkan1; Windows and macOS have theirs)',
  /** noAdapter, once the host has read what Dawn printed: it saw an adapter and turned it down. */
  adapterTurnedDown: 'Dawn found no WebGPU adapter it can use; it turned one down: {notes}',
  softwareAdapter: 'only a software adapter ({adapter}): slower than training on the CPU',
  webGpuInit: 'the WebGPU backend failed to initialise',
  notRequested: 'not tried: the {choice} backend was requested',
  notNeeded: 'not needed: {active} was chosen first',
  notTried: 'not tried',
  /** Added to any other WebGPU reason when Dawn printed something. */
  dawnSaid: 'Dawn said: {notes}',
} as const;

export type BackendReasonKey = keyof typeof backendReasons;

export interface BackendReason {
  key: BackendReasonKey;
  params: { [name: string]: string };
  /** What Dawn printed besides, for a WebGPU reason other than adapterTurnedDown. */
  dawnNotes?: string;
}

export function backendReason(key: BackendReasonKey, params: BackendReason['params'] = {}): BackendReason {
  return { key, params };
}

/** A reason in English, as the candidate's `reason` carries it. */
export function wordBackendReason(reason: BackendReason): string {
  const text = fillTemplate(backendReasons[reason.key], (name) => reason.params[name]);
  return reason.dawnNotes ? `${text}. ${fillTemplate(backendReasons.dawnSaid, () => reason.dawnNotes)}` : text;
}
