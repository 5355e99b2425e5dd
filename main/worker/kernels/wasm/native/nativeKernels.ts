import { setFlagsFromString } from 'node:v8';
import relaxedBytes from './nativeKernels.relaxed.wasm';
import simdBytes from './nativeKernels.simd.wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { heapFloats, type WasmBackend } from '../wasmBackendInternals';

/** The functions this folder's C sources export; every pointer is a byte offset into the backend's heap. */
export interface NativeKernels {
  winograd_relaxed(): number;
  winograd_forward_scratch(cin: number, cout: number, tilesPerBlock: number): number;
  winograd_forward(
    x: number,
    batch: number,
    inH: number,
    inW: number,
    cin: number,
    padTop: number,
    padLeft: number,
    u: number,
    cout: number,
    outH: number,
    outW: number,
    bias: number,
    relu: number,
    y: number,
    scratch: number,
    tilesPerBlock: number,
  ): void;
  winograd_filter_transform(g: number, cin: number, cout: number, flip: number, u: number): void;
  winograd_filter_grad_scratch(cin: number, cout: number, tilesPerBlock: number): number;
  winograd_filter_grad(
    x: number,
    batch: number,
    inH: number,
    inW: number,
    cin: number,
    padTop: number,
    padLeft: number,
    dy: number,
    cout: number,
    outH: number,
    outW: number,
    dW: number,
    scratch: number,
    tilesPerBlock: number,
  ): void;
  matrix_multiply(a: number, b: number, c: number, m: number, k: number, n: number, transA: number, transB: number, packed: number): void;
  matrix_multiply_scratch(n: number): number;
  count_nonzero(a: number, size: number): number;
  all_finite(b: number, size: number): number;
  compress_columns(a: number, rows: number, columns: number, starts: number, indices: number, values: number): void;
  sparse_multiply(starts: number, indices: number, values: number, rows: number, b: number, c: number, m: number, n: number, transS: number): void;
  optimizer_update(
    rule: number,
    w: number,
    parts: number,
    threads: number,
    first: number,
    second: number,
    n: number,
    lr: number,
    decay1: number,
    decay2: number,
    epsilon: number,
    correction1: number,
    correction2: number,
  ): void;
  channel_sums(x: number, rows: number, channels: number, sums: number, partial: number): void;
  max_pool_gradient(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    inH: number,
    inW: number,
    channels: number,
    outH: number,
    outW: number,
    poolH: number,
    poolW: number,
    strideH: number,
    strideW: number,
    padTop: number,
    padLeft: number,
  ): void;
  single_channel_filter_gradient_3x3(
    x: number,
    dy: number,
    dW: number,
    batch: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
    cout: number,
    padTop: number,
    padLeft: number,
  ): void;
}

/** The instruction set a build uses: fused multiply-add (relaxed SIMD) where the runtime has it, else plain 128-bit SIMD. */
export type WasmSimdFlavour = 'relaxed SIMD' | 'SIMD';

/**
 * Relaxed SIMD is on by default from V8 11.4 (Electron 25, Node 21); Node 20 has it behind a
 * flag, which takes effect for modules compiled after it is set (in every thread of the process).
 */
function relaxedSimdAvailable(): boolean {
  if (webAssembly.validate(relaxedBytes)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return webAssembly.validate(relaxedBytes);
}

/** The part of the WebAssembly API used here (this project's lib settings leave WebAssembly's types out). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: object } }) => { exports: unknown };
  Memory: new (limits: { initial: number }) => { buffer: ArrayBuffer };
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let compiled: { module: object; flavour: WasmSimdFlavour } | null = null;
const kernelsRun = new Set<string>();

/** Records that a kernel of ours ran in this thread (the bench says which did). */
export const noteKernelRun = (name: string): void => void kernelsRun.add(name);

/** The kernels of ours that ran in this thread since the last call, in the order they first ran. */
export function takeKernelsRun(): string[] {
  const names = [...kernelsRun];
  kernelsRun.clear();
  return names;
}

let instances = new WeakMap<WasmBackend, NativeKernels>();

/** Which build the kernels run (compiling it on first use): relaxed SIMD where the runtime has it, unless MNIST_LAB_WASM_SIMD=plain. */
export function nativeKernelFlavour(): WasmSimdFlavour {
  compiled ??= process.env.MNIST_LAB_WASM_SIMD !== 'plain' && relaxedSimdAvailable() ? compile('relaxed SIMD') : compile('SIMD');
  return compiled.flavour;
}

function compile(flavour: WasmSimdFlavour): { module: object; flavour: WasmSimdFlavour } {
  return { module: new webAssembly.Module(flavour === 'SIMD' ? simdBytes : relaxedBytes), flavour };
}

/** Runs the kernels from now on with `flavour`'s build (for the tests, which check both). */
export function useNativeKernelFlavour(flavour: WasmSimdFlavour): void {
  if (flavour === 'relaxed SIMD' && !relaxedSimdAvailable()) throw new Error('this runtime has no relaxed SIMD');
  compiled = compile(flavour);
  instances = new WeakMap();
}

/** The kernels, instantiated on this backend's heap (once per backend: each thread has its own). */
export function nativeKernels(backend: WasmBackend): NativeKernels {
  let kernels = instances.get(backend);
  if (!kernels) {
    nativeKernelFlavour();
    const instance = new webAssembly.Instance(compiled!.module, { env: { memory: backend.wasm.asm.memory } });
    kernels = instance.exports as unknown as NativeKernels;
    instances.set(backend, kernels);
  }
  return kernels;
}

/** Runs `use` with `bytes` of scratch from the backend's allocator (8-byte aligned, as malloc's are). */
export function withScratch<T>(backend: WasmBackend, bytes: number, use: (pointer: number) => T): T {
  const pointer = backend.wasm._malloc(bytes);
  if (!pointer) throw new Error(`the wasm heap has no room for ${bytes} bytes of kernel scratch`);
  try {
    return use(pointer);
  } finally {
    backend.wasm._free(pointer);
  }
}

/** A tensor's place in the heap, as the kernels take it. */
export const address = (backend: WasmBackend, info: TensorInfo): number => heapFloats(backend, info).byteOffset;

/** Where data starts in a memory of the kernels' own: past address 0, which C takes for a null pointer. */
export const ownMemoryBase = 64;

/**
 * The kernels on a memory of their own with `bytes` free from ownMemoryBase (for work on data
 * outside any tfjs heap), with a view of it. The module asks for 2 pages at least.
 */
export function nativeKernelsOnOwnMemory(bytes: number): { kernels: NativeKernels; heap: Float32Array } {
  nativeKernelFlavour();
  const memory = new webAssembly.Memory({ initial: Math.max(2, Math.ceil((ownMemoryBase + bytes) / 65536)) });
  const instance = new webAssembly.Instance(compiled!.module, { env: { memory } });
  return { kernels: instance.exports as unknown as NativeKernels, heap: new Float32Array(memory.buffer) };
}
