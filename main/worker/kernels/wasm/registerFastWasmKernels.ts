import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2DConfig, fusedConv2DConfig } from './conv2d';
import { conv2DBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2DBackpropInputConfig } from './conv2dBackpropInput';
import { maxPoolGradConfig } from './maxPoolGrad';
import { meanConfig, sumConfig } from './reductionsOverLeadingAxes';
import { registerWasmKernelReplacements } from './replaceKernel';
import { tileConfig } from './repeatTile';
import { identityConfig } from './sharedIdentity';
import { batchMatMulConfig, fusedMatMulConfig } from './transposedMatMul';

/** Every kernel we put on wasm, one config per file, as tfjs collects its own in register_all_kernels.ts. */
export const fastWasmKernels: readonly KernelConfig[] = [
  batchMatMulConfig,
  fusedMatMulConfig,
  conv2DConfig,
  fusedConv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  maxPoolGradConfig,
  sumConfig,
  meanConfig,
  tileConfig,
  identityConfig,
];

/**
 * Makes the wasm backend fit for training: the convolution filter gradient it lacks, and faster
 * (or, for batched fused matmul, correct) versions of the kernels a training step spends its
 * time in. Each file says what it replaces and what that measured. Call after loading
 * @tensorflow/tfjs-backend-wasm and before tf.setBackend('wasm'), so kernel setup runs.
 */
export function registerFastWasmKernels(): void {
  registerWasmKernelReplacements(fastWasmKernels);
}
