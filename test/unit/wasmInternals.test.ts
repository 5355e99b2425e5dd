import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastWasmKernels, registerFastWasmKernels } from '../../main/worker/kernels/wasm/registerFastWasmKernels';
import { isReplacedOnWasm, stockWasmKernel } from '../../main/worker/kernels/wasm/replaceKernel';
import { wasmBackendMethods, type WasmBackend } from '../../main/worker/kernels/wasm/wasmBackendInternals';

// Our wasm kernels reach into tfjs-backend-wasm's internals: its backend's methods, the heap
// behind typedArrayFromHeap, and stock kernels by name. The package is pinned to the version
// they were written against; this test fails with a plain reason if an upgrade changes any of it.

const require = createRequire(import.meta.url);
const pinned = (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies['@tensorflow/tfjs-backend-wasm'];
const installed = (require('@tensorflow/tfjs-backend-wasm/package.json') as { version: string }).version;
/** Stock kernels our replacements call by name. */
const stockKernelsUsed = [
  'BatchMatMul',
  '_FusedMatMul',
  'Transpose',
  'Conv2D',
  'Add',
  'Relu',
  'Relu6',
  'Elu',
  'Sigmoid',
  'LeakyRelu',
  'Prelu',
  'Sum',
  'Mean',
  'Tile',
  'Identity',
];

beforeAll(async () => {
  registerFastWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('the tfjs-backend-wasm internals our kernels rely on', () => {
  it('is the exact version package.json pins', () => {
    expect(pinned, 'pin @tensorflow/tfjs-backend-wasm to an exact version: main/worker/kernels/wasm relies on its internals').toMatch(/^\d+\.\d+\.\d+$/);
    expect(
      installed,
      `installed @tensorflow/tfjs-backend-wasm ${installed} is not the pinned ${pinned}; re-check main/worker/kernels/wasm before moving the pin`,
    ).toBe(pinned);
  });

  it('has every backend method the kernels call', () => {
    const backend = tf.backend() as unknown as Record<string, unknown>;
    for (const method of wasmBackendMethods)
      expect(typeof backend[method], `BackendWasm.${method} is gone: main/worker/kernels/wasm/wasmBackendInternals.ts`).toBe('function');
  });

  it('hands out views of one heap, which the im2col copies move data within', () => {
    const backend = tf.backend() as unknown as WasmBackend;
    const a = backend.makeOutput([4], 'float32');
    const b = backend.makeOutput([4], 'float32');
    expect(backend.typedArrayFromHeap(a).buffer, 'typedArrayFromHeap no longer views the wasm heap: conv2dBackpropFilter.ts copies within it').toBe(
      backend.typedArrayFromHeap(b).buffer,
    );
    backend.disposeData(a.dataId);
    backend.disposeData(b.dataId);
  });

  it('has every stock kernel the replacements fall back to or call', () => {
    for (const name of stockKernelsUsed) expect(() => stockWasmKernel(name), `wasm lost its ${name} kernel`).not.toThrow();
  });

  it('runs our kernel for every replacement in the list', () => {
    expect(fastWasmKernels.map((k) => k.kernelName).filter((name) => !isReplacedOnWasm(name))).toEqual([]);
  });
});
