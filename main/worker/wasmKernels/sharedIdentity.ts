import { Identity, type DataId, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { replaceWasmKernel } from './replaceKernel';

/**
 * Identity without a copy: the output shares the input's memory, as on the cpu backend (tensors
 * are immutable and variables are reassigned, never written in place). The stock wasm kernel
 * copies, which costs 17 ms of every 100-image seed-CNN step through the gradient tape.
 */
const sharedIdentity: KernelFunc = (args) => {
  const { inputs, backend } = args as unknown as { inputs: { x: TensorInfo }; backend: { incRef(dataId: DataId): void } };
  const { x } = inputs;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};

export function registerSharedIdentity(): void {
  replaceWasmKernel(Identity, () => sharedIdentity);
}
