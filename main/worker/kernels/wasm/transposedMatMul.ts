import {
  _FusedMatMul,
  Add,
  BatchMatMul,
  Transpose,
  util,
  type _FusedMatMulAttrs,
  type _FusedMatMulInputs,
  type BatchMatMulAttrs,
  type BatchMatMulInputs,
  type KernelConfig,
  type KernelFunc,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runStockKernel } from './replaceKernel';
import { address, nativeKernels, noteKernelRun, withScratch } from './native/nativeKernels';
import type { Present, WasmBackend } from './wasmBackendInternals';
import { sparseMatMul } from './sparseMatMul';

/** The activations fused matmul offers, as the wasm kernels that apply them on their own. */
const activationKernels: Record<string, string> = { relu: 'Relu', relu6: 'Relu6', elu: 'Elu', sigmoid: 'Sigmoid', leakyrelu: 'LeakyRelu', prelu: 'Prelu' };

/** t with its last two axes swapped, as a new tensor the caller disposes. */
function swapLastTwo(t: TensorInfo, backend: WasmBackend): TensorInfo {
  const rank = t.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return runStockKernel(Transpose, { x: t }, backend, { perm });
}

/** matmul, then bias, then activation: what a batched fused matmul means, from kernels that get it right. */
function unfusedMatMul(
  a: TensorInfo,
  b: TensorInfo,
  inputs: _FusedMatMulInputs,
  attrs: _FusedMatMulAttrs,
  backend: WasmBackend,
  keep: (t: TensorInfo) => TensorInfo,
): TensorInfo {
  let out = runStockKernel(BatchMatMul, { a, b }, backend, { transposeA: false, transposeB: false });
  if (inputs.bias) out = runStockKernel(Add, { a: keep(out), b: inputs.bias }, backend);
  const activation = attrs.activation ?? 'linear';
  if (activation === 'linear') return out;
  const name = activationKernels[activation];
  if (!name) throw new Error(`fused matmul activation ${activation} is not supported on wasm`);
  const activationInputs: NamedTensorInfoMap = activation === 'prelu' ? { x: keep(out), alpha: inputs.preluActivationWeights! } : { x: keep(out) };
  return runStockKernel(name, activationInputs, backend, { alpha: attrs.leakyreluAlpha ?? 0.2 });
}

/** Products at least this large (multiply-adds) go to native/matrixMultiply.c; below, the call costs more than XNNPACK's packing. */
const nativeMinimum = 2 ** 16;

/**
 * One matrix product (batch 1) in native/matrixMultiply.c, either operand transposed as it
 * lies: the seed MLP's three products take 25 ms a step through XNNPACK here, 13 ms there (one
 * thread, 200 images, 2026-12-02). Null where it does not apply.
 */
function nativeMatMul(a: TensorInfo, b: TensorInfo, attrs: BatchMatMulAttrs, backend: WasmBackend): TensorInfo | null {
  // The stock kernel words the errors (ranks below 2 or unequal, a non-float operand).
  const rank = a.shape.length;
  if (rank < 2 || b.shape.length !== rank || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  if (util.sizeFromShape(a.shape.slice(0, -2)) !== 1 || util.sizeFromShape(b.shape.slice(0, -2)) !== 1) return null;
  const [aRows, aColumns] = a.shape.slice(-2) as [number, number];
  const [bRows, bColumns] = b.shape.slice(-2) as [number, number];
  const [m, k] = attrs.transposeA ? [aColumns, aRows] : [aRows, aColumns];
  const n = attrs.transposeB ? bRows : bColumns;
  if ((attrs.transposeB ? bColumns : bRows) !== k || m * n * k < nativeMinimum) return null;
  const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], 'float32');
  if (!attrs.transposeB && sparseMatMul(a, b, out, m, n, attrs.transposeA, backend)) return out;
  noteKernelRun('matrix product');
  const kernels = nativeKernels(backend);
  withScratch(backend, 4 * kernels.matrix_multiply_scratch(n), (packed) =>
    kernels.matrix_multiply(
      address(backend, a),
      address(backend, b),
      address(backend, out),
      m,
      k,
      n,
      attrs.transposeA ? 1 : 0,
      attrs.transposeB ? 1 : 0,
      packed,
    ),
  );
  return out;
}

/**
 * Wraps the wasm matmul kernels (after nativeMatMul, for the products it takes):
 * - an operand marked transposed is transposed explicitly first: wasm's matmul walks memory
 *   against the grain when told to transpose (about 50× slower), and every Dense gradient asks;
 * - a batched fused matmul (batch > 1) is computed as matmul, then bias and activation, because
 *   the stock fused kernel returns wrong numbers for batched inputs of realistic size.
 */
function untransposedMatMul(
  kernelName: typeof BatchMatMul | typeof _FusedMatMul,
  args: { inputs: _FusedMatMulInputs; backend: WasmBackend; attrs: _FusedMatMulAttrs },
): TensorInfo {
  const { inputs, backend, attrs } = args;
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temporaries.push(t), t);
  const a = attrs.transposeA ? keep(swapLastTwo(inputs.a, backend)) : inputs.a;
  const b = attrs.transposeB ? keep(swapLastTwo(inputs.b, backend)) : inputs.b;
  try {
    const batch = Math.max(util.sizeFromShape(a.shape.slice(0, -2)), util.sizeFromShape(b.shape.slice(0, -2)));
    // The stock fused kernel is right for one matrix with a vector bias; anything else is unfused.
    if (kernelName === BatchMatMul || (batch === 1 && (inputs.bias?.shape.length ?? 1) <= 1)) {
      const { transposeA: _a, transposeB: _b, ...rest } = attrs;
      return runStockKernel(kernelName, { ...inputs, a, b }, backend, { ...rest, transposeA: false, transposeB: false });
    }
    return unfusedMatMul(a, b, inputs, attrs, backend, keep);
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

const batchMatMul = (args: { inputs: Present<BatchMatMulInputs>; backend: WasmBackend; attrs: BatchMatMulAttrs }) =>
  nativeMatMul(args.inputs.a, args.inputs.b, args.attrs, args.backend) ??
  untransposedMatMul(BatchMatMul, { inputs: args.inputs, backend: args.backend, attrs: { ...args.attrs, activation: 'linear' } });
const fusedMatMul = (args: { inputs: _FusedMatMulInputs; backend: WasmBackend; attrs: _FusedMatMulAttrs }) => untransposedMatMul(_FusedMatMul, args);

export const batchMatMulConfig: KernelConfig = { kernelName: BatchMatMul, backendName: 'wasm', kernelFunc: batchMatMul as unknown as KernelFunc };
export const fusedMatMulConfig: KernelConfig = { kernelName: _FusedMatMul, backendName: 'wasm', kernelFunc: fusedMatMul as unknown as KernelFunc };
