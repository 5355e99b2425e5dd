import type { KernelConfig } from '@tensorflow/tfjs-core';
import { registerKernelReplacements } from '../kernelReplacement';
import { conv2DBackpropFilterConfig } from './conv2dBackpropFilter';
import { optimizerStateConfig, optimizerWeightsConfig } from './optimizerUpdate';

/** Every kernel we put on WebGPU: one replacement, and the two of the fused optimiser update. */
export const fastWebGpuKernels: readonly KernelConfig[] = [conv2DBackpropFilterConfig, optimizerStateConfig, optimizerWeightsConfig];

/** Call after loading @tensorflow/tfjs-backend-webgpu (it registers the stock kernels) and before training. */
export function registerFastWebGpuKernels(): void {
  registerKernelReplacements(fastWebGpuKernels);
}
