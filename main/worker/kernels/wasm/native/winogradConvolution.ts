import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from '../wasmBackendInternals';
import { address, nativeKernels, noteKernelRun, withScratch } from './nativeKernels';

/**
 * Convolutions through winograd3x3.c: the forward pass, the input gradient (the forward pass over
 * the output gradient with the filter rotated) and the filter gradient. Each call allocates its
 * scratch (the transformed filter and one block of transformed tiles) from the backend's heap.
 */

/** Bytes a block of transformed tiles may take: with the transformed filter it stays in a core's L2 cache. */
const blockBytes = 192 * 1024;

/** Tiles per block for these channel counts: a multiple of 4 (the matrix products take tiles in fours). */
function tilesPerBlock(cin: number, cout: number): number {
  return Math.max(4, Math.floor(blockBytes / (16 * 4 * (cin + cout)) / 4) * 4);
}

/** Whether the Winograd kernels compute this convolution: 3×3, stride 1, undilated, NHWC, channels in fours (from 8: one channel is faster direct). */
export function winogradApplies(info: backend_util.Conv2DInfo): boolean {
  return (
    info.dataFormat === 'channelsLast' &&
    info.filterHeight === 3 &&
    info.filterWidth === 3 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.inChannels % 4 === 0 &&
    info.outChannels % 4 === 0 &&
    info.inChannels >= 8
  );
}

interface Forward {
  input: TensorInfo;
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  padTop: number;
  padLeft: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  /** The [3, 3, ·, ·] filter as tfjs keeps it; `flip`: rotated with its channels swapped (the input gradient's). */
  filter: TensorInfo;
  flip: boolean;
  bias: TensorInfo | null;
  relu: boolean;
}

function forward(backend: WasmBackend, f: Forward): TensorInfo {
  const kernels = nativeKernels(backend);
  const tiles = tilesPerBlock(f.inChannels, f.outChannels);
  const filterFloats = 16 * f.inChannels * f.outChannels;
  const out = backend.makeOutput([f.batch, f.outHeight, f.outWidth, f.outChannels], 'float32');
  withScratch(backend, 4 * filterFloats + 4 * kernels.winograd_forward_scratch(f.inChannels, f.outChannels, tiles), (u) => {
    // The filter's own channel order: [3, 3, in, out], or for the flipped filter [3, 3, out, in].
    const [cin, cout] = f.flip ? [f.outChannels, f.inChannels] : [f.inChannels, f.outChannels];
    kernels.winograd_filter_transform(address(backend, f.filter), cin, cout, f.flip ? 1 : 0, u);
    kernels.winograd_forward(
      address(backend, f.input),
      f.batch,
      f.inHeight,
      f.inWidth,
      f.inChannels,
      f.padTop,
      f.padLeft,
      u,
      f.outChannels,
      f.outHeight,
      f.outWidth,
      f.bias ? address(backend, f.bias) : 0,
      f.relu ? 1 : 0,
      address(backend, out),
      u + filterFloats * 4,
      tiles,
    );
  });
  return out;
}

/** conv2d(x, filter) + bias, then ReLU where asked. */
export function winogradConv2d(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  bias: TensorInfo | null,
  relu: boolean,
): TensorInfo {
  noteKernelRun('Winograd F(2×2, 3×3) convolution');
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  return forward(backend, {
    input: x,
    batch: batchSize,
    inHeight,
    inWidth,
    inChannels,
    padTop: top,
    padLeft: left,
    outHeight,
    outWidth,
    outChannels,
    filter,
    flip: false,
    bias,
    relu,
  });
}

/** The input gradient: dy convolved with the filter rotated 180° (channels swapped), padded by 2 − pad. */
export function winogradInputGradient(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  noteKernelRun('Winograd F(2×2, 3×3) input gradient');
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  return forward(backend, {
    input: dy,
    batch: batchSize,
    inHeight: outHeight,
    inWidth: outWidth,
    inChannels: outChannels,
    padTop: 2 - top,
    padLeft: 2 - left,
    outHeight: inHeight,
    outWidth: inWidth,
    outChannels: inChannels,
    filter,
    flip: true,
    bias: null,
    relu: false,
  });
}

/** The filter gradient [3, 3, in, out]: Σ over images and positions of x · dy. */
export function winogradFilterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  noteKernelRun('Winograd F(2×2, 3×3) filter gradient');
  const kernels = nativeKernels(backend);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const tiles = tilesPerBlock(inChannels, outChannels);
  const out = backend.makeOutput([3, 3, inChannels, outChannels], 'float32');
  withScratch(backend, 4 * kernels.winograd_filter_grad_scratch(inChannels, outChannels, tiles), (scratch) =>
    kernels.winograd_filter_grad(
      address(backend, x),
      batchSize,
      inHeight,
      inWidth,
      inChannels,
      info.padInfo.top,
      info.padInfo.left,
      address(backend, dy),
      outChannels,
      outHeight,
      outWidth,
      address(backend, out),
      scratch,
      tiles,
    ),
  );
  return out;
}
