import { Sum, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { replaceWasmKernel, wasmKernel } from './replaceKernel';
import type { WasmBackend } from './wasmBackend';

/**
 * Sum over every axis but the last (every bias gradient: dy [n, h, w, c] → [c]) in one pass over
 * the heap, accumulating in float64; the stock kernel transposes the whole tensor first (36 ms of
 * a seed-CNN step for one layer). Other reductions go to the stock kernel.
 */
function makeSum(stock: KernelFunc): KernelFunc {
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
    const shape = attrs.keepDims ? x.shape.map((size, i) => (i === rank - 1 ? size : 1)) : [channels];
    const out = backend.makeOutput(shape, 'float32');
    (backend.typedArrayFromHeap(out) as Float32Array).set(sums);
    return out;
  };
}

export function registerSumOverLeadingAxes(): void {
  replaceWasmKernel(Sum, (stock) => makeSum(stock ?? wasmKernel(Sum)));
}
