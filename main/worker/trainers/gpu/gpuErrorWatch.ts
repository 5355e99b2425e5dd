import * as tf from '@tensorflow/tfjs-core';

/** The part of a GPUDevice this needs (the worker does not load the WebGPU DOM types). */
interface ErrorScopes {
  pushErrorScope(filter: 'out-of-memory' | 'validation'): void;
  popErrorScope(): Promise<{ message: string } | null>;
}

function currentDevice(): ErrorScopes | null {
  const device = (tf.backend() as unknown as { device?: ErrorScopes }).device;
  return device && typeof device.pushErrorScope === 'function' ? device : null;
}

export type { ErrorScopes };

/** A run as an out-of-memory message names it: what to make smaller. */
export const runSize = (parameters: number, batchSize: number): string =>
  `the model (${parameters.toLocaleString('en-US')} parameters) with batch size ${batchSize}`;

/**
 * Watches the GPU for allocations that failed, between checks: WebGPU reports running out of
 * memory (or a buffer over the device's limits) asynchronously, as an error in a scope, and
 * tfjs would otherwise carry on with empty buffers. `what` names the run in the message.
 */
export function gpuErrorWatch(what: string, device: ErrorScopes | null = currentDevice()) {
  const open = () => {
    device?.pushErrorScope('validation');
    device?.pushErrorScope('out-of-memory');
  };
  const close = async () => {
    const outOfMemory = await device?.popErrorScope();
    const invalid = await device?.popErrorScope();
    return { outOfMemory, invalid };
  };
  open();
  return {
    /** Throws a plain message if an allocation failed since the last check. */
    async check(): Promise<void> {
      const { outOfMemory, invalid } = await close();
      open();
      if (outOfMemory) throw new Error(`the GPU ran out of memory training ${what}: lower the batch size or make the model smaller (${outOfMemory.message})`);
      if (invalid)
        throw new Error(
          `the GPU refused a step of ${what}; a buffer may exceed what the device allows, so lower the batch size (${invalid.message.split('\n')[0]})`,
        );
    },
    async stop(): Promise<void> {
      await close();
    },
  };
}
