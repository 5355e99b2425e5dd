import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { isReplaced, registerKernelReplacements, stockKernel } from '../kernelReplacement';
import type { WasmBackend } from './wasmBackendInternals';

/** The stock wasm kernel `name` (the one before any replacement of ours). */
export const stockWasmKernel = (name: string): KernelFunc => stockKernel('wasm', name);

/** Runs a stock wasm kernel that has one output. */
export function runStockKernel(name: string, inputs: NamedTensorInfoMap, backend: WasmBackend, attrs: NamedAttrMap = {}): TensorInfo {
  return stockWasmKernel(name)({ inputs, backend, attrs }) as TensorInfo;
}

/** Registers our wasm kernels in place of the stock ones (see kernelReplacement.ts). */
export const registerWasmKernelReplacements = (configs: readonly KernelConfig[]): void => registerKernelReplacements(configs);

/** Whether `name` on wasm is ours (for the test that guards these internals). */
export const isReplacedOnWasm = (name: string): boolean => isReplaced('wasm', name);
