import { Mean, Sum, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { replaceWasmKernel, wasmKernel } from './replaceKernel';
import type { WasmBackend } from './wasmBackend';

/**
 * Sums and means over every axis but the last (every bias gradient, dy [n, h, w, c] → [c], and
 * BatchNorm's batch statistics) in one pass over the heap, accumulating in float64; the stock
 * kernels transpose the whole tensor first (36 ms of a seed-CNN step for one layer). Other
 * reductions go to the stock kernels.
 */
function makeReduction(stock: KernelFunc, mean: boolean): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { axis: number | number[]; keepDims: boolean } };
    const { x } = inputs;
    const rank = x.shape.length;
    const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((axis, i) => axis === i);
    if (!leading || x.dtype !== 'float32') return stock(args);
    const channels = x.shape[rank - 1]!;
    const values = backend.typedArrayFromHeap(x) as Float32Array;
    const sums = new Float64Array(channels);
    for (let i = 0; i < values.length; i += channels) for (let c = 0; c < channels; c++) sums[c]! += values[i + c]!;
    if (mean) {
      const rows = values.length / channels;
      for (let c = 0; c < channels; c++) sums[c]! /= rows;
    }
    const shape = attrs.keepDims ? x.shape.map((size, i) => (i === rank - 1 ? size : 1)) : [channels];
    const out = backend.makeOutput(shape, 'float32');
    (backend.typedArrayFromHeap(out) as Float32Array).set(sums);
    return out;
  };
}

export function registerReductionsOverLeadingAxes(): void {
  replaceWasmKernel(Sum, (stock) => makeReduction(stock ?? wasmKernel(Sum), false));
  replaceWasmKernel(Mean, (stock) => makeReduction(stock ?? wasmKernel(Mean), true));
}
