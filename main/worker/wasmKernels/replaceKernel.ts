import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './wasmBackend';

type MarkedConfig = KernelConfig & { replacedByMnistLab?: boolean };

/** The stock wasm kernels our replacements took the place of: wrappers hand them the cases they leave alone. */
const stockKernels = new Map<string, KernelFunc>();

/** The stock wasm kernel `name` (the one before any replacement of ours); throws naming it when wasm has none. */
export function stockWasmKernel(name: string): KernelFunc {
  const kernel = stockKernels.get(name) ?? getKernel(name, 'wasm')?.kernelFunc;
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel;
}

/** Runs a stock wasm kernel that has one output. */
export function runStockKernel(name: string, inputs: NamedTensorInfoMap, backend: WasmBackend, attrs: NamedAttrMap = {}): TensorInfo {
  return stockWasmKernel(name)({ inputs, backend, attrs }) as TensorInfo;
}

/**
 * Registers our kernels on wasm in place of the stock ones, keeping each stock kernel's setup
 * (it binds the wasm functions a wrapper may still call) and the stock function itself for
 * stockWasmKernel. Idempotent.
 */
export function registerWasmKernelReplacements(configs: readonly KernelConfig[]): void {
  for (const config of configs) {
    const stock = getKernel(config.kernelName, 'wasm') as MarkedConfig | undefined;
    if (stock?.replacedByMnistLab) continue;
    if (stock) {
      stockKernels.set(config.kernelName, stock.kernelFunc);
      unregisterKernel(config.kernelName, 'wasm');
    }
    const replacement: MarkedConfig = { ...config, setupFunc: stock?.setupFunc, disposeFunc: stock?.disposeFunc, replacedByMnistLab: true };
    registerKernel(replacement);
  }
}

/** Whether `name` on wasm is ours (for the test that guards these internals). */
export function isReplacedOnWasm(name: string): boolean {
  return (getKernel(name, 'wasm') as MarkedConfig | undefined)?.replacedByMnistLab === true;
}
