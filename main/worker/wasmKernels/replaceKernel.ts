import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';

type MarkedConfig = KernelConfig & { replacedByMnistLab?: boolean };

/** A kernel the wasm backend must have; throws naming it otherwise. */
export function wasmKernel(name: string): KernelFunc {
  const config = getKernel(name, 'wasm');
  if (!config) throw new Error(`the wasm backend has no ${name} kernel`);
  return config.kernelFunc;
}

/**
 * Registers our kernel for `name` on wasm, in place of the stock one if there is one (keeping its
 * setup, which binds the wasm functions a wrapper may still call). Idempotent.
 */
export function replaceWasmKernel(name: string, make: (stock: KernelFunc | undefined) => KernelFunc): void {
  const stock = getKernel(name, 'wasm') as MarkedConfig | undefined;
  if (stock?.replacedByMnistLab) return;
  if (stock) unregisterKernel(name, 'wasm');
  const replacement: MarkedConfig = { ...(stock ?? { kernelName: name, backendName: 'wasm' }), kernelFunc: make(stock?.kernelFunc), replacedByMnistLab: true };
  registerKernel(replacement);
}
