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
import { address, nativeKernels, noteKernelRun, withScratch } from './native/nativeKernels';
import { heapFloats, type Present, type WasmBackend } from './wasmBackendInternals';

type ReductionArgs = { inputs: Present<SumInputs | MeanInputs>; backend: WasmBackend; attrs: SumAttrs | MeanAttrs };

/**
 * Sums and means over every axis but the last (every bias gradient, dy [n, h, w, c] → [c], and
 * BatchNorm's batch statistics) in one pass over the heap, accumulating in float64 (runs of 64
 * rows in float32 first, in native/channelSums.c when channels come in fours); the stock kernels
 * transpose the whole tensor first (36 ms of a seed-CNN step for one layer, 36 ms here in
 * JavaScript, 5 ms in C). Other reductions go to the stock kernels.
 */
function reduceOverLeadingAxes(kernelName: typeof Sum | typeof Mean, { inputs, backend, attrs }: ReductionArgs): TensorInfo {
  const { x } = inputs;
  const rank = x.shape.length;
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = rank >= 2 && axes.length === rank - 1 && axes.every((axis, i) => axis === i);
  if (!leading || x.dtype !== 'float32') return runStockKernel(kernelName, { x }, backend, { axis: attrs.axis, keepDims: attrs.keepDims });
  const channels = x.shape[rank - 1]!;
  const shape = attrs.keepDims ? x.shape.map((size, i) => (i === rank - 1 ? size : 1)) : [channels];
  const out = backend.makeOutput(shape, 'float32');
  const rows = util.sizeFromShape(x.shape) / channels;
  const sums = channels % 4 === 0 ? nativeSums(backend, x, rows, channels, out) : javascriptSums(heapFloats(backend, x), channels);
  if (kernelName === Mean) for (let c = 0; c < channels; c++) sums[c]! /= rows;
  heapFloats(backend, out).set(sums);
  return out;
}

function nativeSums(backend: WasmBackend, x: TensorInfo, rows: number, channels: number, out: TensorInfo): Float32Array {
  noteKernelRun('channel sums');
  withScratch(backend, 16 * channels, (partial) => nativeKernels(backend).channel_sums(address(backend, x), rows, channels, address(backend, out), partial));
  return heapFloats(backend, out).slice();
}

function javascriptSums(values: Float32Array, channels: number): Float64Array {
  const sums = new Float64Array(channels);
  for (let i = 0; i < values.length; i += channels) for (let c = 0; c < channels; c++) sums[c]! += values[i + c]!;
  return sums;
}

const sumOverLeadingAxes = (args: ReductionArgs) => reduceOverLeadingAxes(Sum, args);
const meanOverLeadingAxes = (args: ReductionArgs) => reduceOverLeadingAxes(Mean, args);

export const sumConfig: KernelConfig = { kernelName: Sum, backendName: 'wasm', kernelFunc: sumOverLeadingAxes as unknown as KernelFunc };
export const meanConfig: KernelConfig = { kernelName: Mean, backendName: 'wasm', kernelFunc: meanOverLeadingAxes as unknown as KernelFunc };
