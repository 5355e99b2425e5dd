import {
  Mean,
  Sum,
  util,
  type KernelConfig,
  type KernelFunc,
  type MeanAttrs,
  type MeanInputs,
  type SumAttrs,
  type SumInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runStockKernel } from './replaceKernel';
import { heapFloats, type Present, type WasmBackend } from './wasmBackendInternals';

type ReductionArgs = { inputs: Present<SumInputs | MeanInputs>; backend: WasmBackend; attrs: SumAttrs | MeanAttrs };

/**
 * Sums and means over every axis but the last (every bias gradient, dy [n, h, w, c] → [c], and
 * BatchNorm's batch statistics) in one pass over the heap, accumulating in float64; the stock
 * kernels transpose the whole tensor first (36 ms of a seed-CNN step for one layer). Other
 * reductions go to the stock kernels.
 */
function reduceOverLeadingAxes(kernelName: typeof Sum | typeof Mean, { inputs, backend, attrs }: ReductionArgs): TensorInfo {
  const { x } = inputs;
  const rank = x.shape.length;
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = rank >= 2 && axes.length === rank - 1 && axes.every((axis, i) => axis === i);
  if (!leading || x.dtype !== 'float32') return runStockKernel(kernelName, { x }, backend, { axis: attrs.axis, keepDims: attrs.keepDims });
  const channels = x.shape[rank - 1]!;
  const values = heapFloats(backend, x);
  const sums = new Float64Array(channels);
  for (let i = 0; i < values.length; i += channels) for (let c = 0; c < channels; c++) sums[c]! += values[i + c]!;
  if (kernelName === Mean) {
    const rows = values.length / channels;
    for (let c = 0; c < channels; c++) sums[c]! /= rows;
  }
  const shape = attrs.keepDims ? x.shape.map((size, i) => (i === rank - 1 ? size : 1)) : [channels];
  const out = backend.makeOutput(shape, 'float32');
  heapFloats(backend, out).set(sums);
  return out;
}

const sumOverLeadingAxes = (args: ReductionArgs) => reduceOverLeadingAxes(Sum, args);
const meanOverLeadingAxes = (args: ReductionArgs) => reduceOverLeadingAxes(Mean, args);

export const sumConfig: KernelConfig = { kernelName: Sum, backendName: 'wasm', kernelFunc: sumOverLeadingAxes as unknown as KernelFunc };
export const meanConfig: KernelConfig = { kernelName: Mean, backendName: 'wasm', kernelFunc: meanOverLeadingAxes as unknown as KernelFunc };
