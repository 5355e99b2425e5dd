import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { address, nativeKernels, noteKernelRun, withScratch } from './native/nativeKernels';
import type { WasmBackend } from './wasmBackendInternals';

/**
 * When skipping the left operand's zeros beats the dense product (measured on the seed MLP's first
 * layer's shapes, 2026-12-02): a nonzero costs about 2.4 dense multiply-adds, and compressing costs
 * more the more nonzeros there are, so it pays below about a third nonzero; a quarter keeps a margin
 * (images are a fifth; activations after ReLU and dropout, a third, stay dense).
 */
const maximumDensity = 0.25;
/** The compression keeps a cursor per column of a: past a few thousand they leave L1 and it costs more than it saves. */
const maximumDepthColumns = 2048;
/** The kernel works 32 columns at a time; narrower products (the last Dense layer's ten) stay dense. */
const minimumColumns = 32;

/**
 * out = op(a) · b through native/sparseMatrixMultiply.c when `a` is mostly zeros (a batch of MNIST
 * images is 81 % zeros) and `b` is finite, so that the zeros' skipped terms are exactly zero;
 * false, with `out` untouched, when that does not hold. `b` is not transposed; m × k × n as in the
 * dense product.
 */
export function sparseMatMul(a: TensorInfo, b: TensorInfo, out: TensorInfo, m: number, n: number, transposeA: boolean, backend: WasmBackend): boolean {
  if (n < minimumColumns || a.shape.at(-1)! > maximumDepthColumns) return false;
  const kernels = nativeKernels(backend);
  const size = util.sizeFromShape(a.shape);
  const nonzero = kernels.count_nonzero(address(backend, a), size);
  if (nonzero > maximumDensity * size || !kernels.all_finite(address(backend, b), util.sizeFromShape(b.shape))) return false;
  noteKernelRun('sparse matrix product (zeros skipped)');
  const [rows, columns] = a.shape.slice(-2) as [number, number];
  withScratch(backend, 4 * (columns + 1 + 2 * nonzero), (starts) => {
    const indices = starts + 4 * (columns + 1);
    const values = indices + 4 * nonzero;
    kernels.compress_columns(address(backend, a), rows, columns, starts, indices, values);
    // The compressed matrix is aᵀ: a · b is its transpose times b, aᵀ · b itself times b.
    kernels.sparse_multiply(starts, indices, values, columns, address(backend, b), address(backend, out), m, n, transposeA ? 0 : 1);
  });
  return true;
}
