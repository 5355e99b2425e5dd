import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The parts of tfjs-backend-wasm's BackendWasm our kernels use. The package does not export the
 * class's type from its Node entry, so we name only what we touch; test/unit/wasmInternals.test.ts
 * fails loudly if a new version drops any of it.
 */
export interface WasmBackend {
  /** With `values`, an output written from JavaScript (strings keep their bytes outside the heap). */
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: Uint8Array[]): TensorInfo;
  /** A tensor's values; for strings, their encoded bytes. */
  readSync(dataId: DataId): unknown;
  /** A view into the wasm heap: every tensor's view shares one buffer, the heap itself. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: DataId): boolean;
  incRef(dataId: DataId): void;
  /** The Emscripten module: its instance's exports (the heap's Memory among them) and its allocator. */
  wasm: EmscriptenModule;
}

/** What our own wasm kernels need of the backend's Emscripten module: the memory to import, and scratch from its allocator. */
export interface EmscriptenModule {
  /** `memory` is the instance's WebAssembly.Memory, which our own modules import. */
  asm: { memory: object };
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

/** The methods above, by name, for that test. */
export const wasmBackendMethods = ['makeOutput', 'readSync', 'typedArrayFromHeap', 'disposeData', 'incRef'] as const;

/** A float32 tensor's values, in place in the heap. */
export const heapFloats = (backend: WasmBackend, info: TensorInfo): Float32Array => backend.typedArrayFromHeap(info) as Float32Array;

export type { Present } from '../kernelReplacement';
