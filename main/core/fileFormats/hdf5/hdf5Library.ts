// libhdf5 itself, compiled to WebAssembly (h5wasm), loaded once per thread. Files from users
// reach it only in the model-file thread (modelFileThread.ts), where `limitHdf5Memory` bounds
// what a crafted file can make it allocate. h5wasm's Node build reads and writes the real file
// system (NODERAWFS), so files go through a temporary folder of our own.

type H5wasmModule = typeof import('h5wasm/node');

/** h5wasm's classes, and its module once it has loaded. */
export type H5wasm = Pick<H5wasmModule, 'File' | 'Group' | 'Dataset'> & { Module: NonNullable<H5wasmModule['Module']> };

/** The part of WebAssembly.Memory watched here (this project's lib settings leave WebAssembly's types out). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

let loading: Promise<H5wasm> | null = null;
/** libhdf5's heap, once loaded: h5wasm renews `HEAPU8` whenever the memory grows, so it always views the current buffer. */
let hdf5Heap: { HEAPU8: Uint8Array } | null = null;
let memoryLimit = Infinity;

/**
 * Loads h5wasm (about 150 ms the first time). libhdf5's errors are thrown as exceptions carrying
 * its error stack, rather than printed to the process's stderr (h5wasm's Node build writes to
 * the real file descriptors), so nothing reaches the terminal and every failed call fails.
 */
export function loadHdf5(): Promise<H5wasm> {
  loading ??= (async () => {
    const library = await import('h5wasm/node');
    const module = await library.ready;
    module.activate_throwing_error_handler();
    hdf5Heap = module;
    return { File: library.File, Group: library.Group, Dataset: library.Dataset, Module: module };
  })();
  return loading;
}

/** What an error libhdf5 threw says went wrong: the last "minor" line of its error stack names the cause. */
export function hdf5Cause(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const minor = [...text.matchAll(/^\s*minor:\s*(.+)$/gm)].map((match) => match[1]!.trim());
  const detail = [...text.matchAll(/^\s*#\d+:.*? in \w+\(\): (.+)$/gm)].map((match) => match[1]!.trim());
  return (minor.at(-1) && detail[0] ? `${detail.at(-1)}: ${minor.at(-1)}` : (minor.at(-1) ?? text.split('\n')[0] ?? 'unknown error')).slice(0, 200);
}

/**
 * Refuses to grow libhdf5's memory past `bytes` from now on, so a chunk whose gzip stream
 * inflates past what its weight needs fails its allocation (a clean HDF5 error) instead of taking
 * gigabytes. Only that one WebAssembly memory is watched; others in the thread grow freely.
 */
export function limitHdf5Memory(bytes: number): void {
  memoryLimit = bytes;
  const prototype = (globalThis as unknown as { WebAssembly: { Memory: { prototype: WasmMemory & { __hdf5Limited?: true } } } }).WebAssembly.Memory.prototype;
  if (prototype.__hdf5Limited) return;
  const grow = prototype.grow;
  prototype.grow = function (this: WasmMemory, pages: number) {
    if (this.buffer === hdf5Heap?.HEAPU8.buffer && this.buffer.byteLength + pages * 65536 > memoryLimit) {
      throw new RangeError(`libhdf5 may use at most ${memoryLimit} bytes here`);
    }
    return grow.call(this, pages);
  };
  prototype.__hdf5Limited = true;
}

/** How much memory libhdf5 holds now. */
export function hdf5MemoryBytes(): number {
  return hdf5Heap?.HEAPU8.buffer.byteLength ?? 0;
}
