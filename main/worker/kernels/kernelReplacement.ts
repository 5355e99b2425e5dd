import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';

// Our kernels take the place of stock ones in tfjs' global kernel registry, one backend at a
// time; each keeps the stock kernel it replaced, to hand it the cases it leaves alone.

/** tfjs-core's `XxxInputs` with every named input present, as the engine guarantees when it calls a kernel. */
export type Present<Inputs> = { [K in keyof Inputs]-?: NonNullable<Inputs[K]> };

type MarkedConfig = KernelConfig & { replacedByMnistLab?: boolean };

const stockKernels = new Map<string, KernelFunc>();
const keyOf = (backendName: string, kernelName: string) => `${backendName}/${kernelName}`;

/** The stock kernel `kernelName` of `backendName` (the one before any replacement of ours); throws naming it when there is none. */
export function stockKernel(backendName: string, kernelName: string): KernelFunc {
  const kernel = stockKernels.get(keyOf(backendName, kernelName)) ?? getKernel(kernelName, backendName)?.kernelFunc;
  if (!kernel) throw new Error(`the ${backendName} backend has no ${kernelName} kernel`);
  return kernel;
}

/**
 * Registers our kernels in place of the stock ones, keeping each stock kernel's setup (it binds
 * what a wrapper may still call) and the stock function itself for stockKernel. Idempotent.
 */
export function registerKernelReplacements(configs: readonly KernelConfig[]): void {
  for (const config of configs) {
    const stock = getKernel(config.kernelName, config.backendName) as MarkedConfig | undefined;
    if (stock?.replacedByMnistLab) continue;
    if (stock) {
      stockKernels.set(keyOf(config.backendName, config.kernelName), stock.kernelFunc);
      unregisterKernel(config.kernelName, config.backendName);
    }
    const replacement: MarkedConfig = { ...config, setupFunc: stock?.setupFunc, disposeFunc: stock?.disposeFunc, replacedByMnistLab: true };
    registerKernel(replacement);
  }
}

/** Whether `kernelName` on `backendName` is ours (for the tests that guard these internals). */
export function isReplaced(backendName: string, kernelName: string): boolean {
  return (getKernel(kernelName, backendName) as MarkedConfig | undefined)?.replacedByMnistLab === true;
}
