import { Identity, type IdentityInputs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { Present, WasmBackend } from './wasmBackendInternals';

/**
 * Identity without a copy: the output shares the input's memory, as on the cpu backend (tensors
 * are immutable and variables are reassigned, never written in place). The stock wasm kernel
 * copies, which costs 17 ms of every 100-image seed-CNN step through the gradient tape.
 */
function sharedIdentity(args: { inputs: Present<IdentityInputs>; backend: WasmBackend }): TensorInfo {
  const { x } = args.inputs;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig: KernelConfig = { kernelName: Identity, backendName: 'wasm', kernelFunc: sharedIdentity as unknown as KernelFunc };
