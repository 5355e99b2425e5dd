import {
  backend_util,
  BatchMatMul,
  Conv2DBackpropFilter,
  Transpose,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runStockKernel } from './replaceKernel';
import { heapFloats, type Present, type WasmBackend } from './wasmBackendInternals';
import { address, nativeKernels, noteKernelRun } from './native/nativeKernels';
import { winogradApplies, winogradFilterGradient } from './native/winogradConvolution';

/**
 * The filter gradient of a 2-D convolution, which the stock wasm backend lacks: by Winograd
 * where it applies (3×3, stride 1), in native/singleChannelFilterGradient.c for a 3×3 filter over
 * one channel (the first layer: 45 ms as below, 6 ms there), else
 *   dW[kh, kw, ci, co] = Σ over n, oh, ow of x[n, oh·s + kh − top, ow·s + kw − left, ci] · dy[n, oh, ow, co]
 * computed as matrix products colsᵀ · dy over blocks of about 2,048 positions, summed. x is first
 * transposed channel-major ([ci, n, h, w]) so colsᵀ [kh·kw·ci, positions] fills from contiguous
 * runs, straight in the wasm heap. Measured on the seed CNN's second layer (200 images): 0.19 s
 * in blocks, 0.27 s as one product, 0.40 s as an XNNPACK convolution with batch and channels
 * swapped, 0.50 s filling from NHWC.
 */

/** Positions per matrix product: small enough that a block of colsᵀ and dy stays in cache. */
const blockPositions = 2048;

/** Where one block's columns come from and go to, as float offsets into the heap. */
interface ColumnBlock {
  heap: Float32Array;
  info: backend_util.Conv2DInfo;
  /** Channel-major x: [ci, n, h, w]. */
  xBase: number;
  colsBase: number;
  first: number;
  images: number;
}

/** Fills colsᵀ [kh·kw·ci, images·oh·ow] for the images [first, first + images) with copies inside the heap. */
function fillColumns({ heap, info, xBase, colsBase, first, images }: ColumnBlock): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const positions = images * outHeight * outWidth;
  const imageSize = inHeight * inWidth;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      // Output columns whose input column lies inside the image; the rest stay 0.
      let owStart = 0;
      while (owStart < outWidth && owStart * strideWidth + kw - left < 0) owStart++;
      let owEnd = outWidth;
      while (owEnd > owStart && (owEnd - 1) * strideWidth + kw - left >= inWidth) owEnd--;
      const run = owEnd - owStart;
      for (let c = 0; c < inChannels; c++) {
        let o = colsBase + ((kh * filterWidth + kw) * inChannels + c) * positions;
        const channelBase = xBase + (c * batchSize + first) * imageSize;
        for (let n = 0; n < images; n++) {
          const imageBase = channelBase + n * imageSize;
          for (let oh = 0; oh < outHeight; oh++, o += outWidth) {
            const ih = oh * strideHeight + kh - top;
            if (ih < 0 || ih >= inHeight) {
              heap.fill(0, o, o + outWidth);
              continue;
            }
            if (owStart > 0) heap.fill(0, o, o + owStart);
            if (owEnd < outWidth) heap.fill(0, o + owEnd, o + outWidth);
            const src = imageBase + ih * inWidth + owStart * strideWidth + kw - left;
            if (strideWidth === 1) heap.copyWithin(o + owStart, src, src + run);
            else for (let i = 0; i < run; i++) heap[o + owStart + i] = heap[src + i * strideWidth]!;
          }
        }
      }
    }
  }
}

/** Adds colsᵀ · dy of one block to `sums`; dy is copied into a fresh tensor, as wasm's matmul caches its packed operand by tensor id. */
function addBlockProduct(backend: WasmBackend, block: ColumnBlock, cols: TensorInfo, dyBase: number, sums: Float64Array): void {
  const { outHeight, outWidth, outChannels, filterHeight, filterWidth, inChannels } = block.info;
  const positions = block.images * outHeight * outWidth;
  const dyBlock = backend.makeOutput([1, positions, outChannels], 'float32');
  const dyStart = dyBase + block.first * outHeight * outWidth * outChannels;
  block.heap.copyWithin(heapFloats(backend, dyBlock).byteOffset / 4, dyStart, dyStart + positions * outChannels);
  const a: TensorInfo = { dataId: cols.dataId, shape: [1, filterHeight * filterWidth * inChannels, positions], dtype: 'float32' };
  const partial = runStockKernel(BatchMatMul, { a, b: dyBlock }, backend, { transposeA: false, transposeB: false });
  backend.disposeData(dyBlock.dataId);
  const values = heapFloats(backend, partial);
  for (let i = 0; i < values.length; i++) sums[i]! += values[i]!;
  backend.disposeData(partial.dataId);
}

function conv2DBackpropFilter(args: { inputs: Present<Conv2DBackpropFilterInputs>; backend: WasmBackend; attrs: Conv2DBackpropFilterAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  if (attrs.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (winogradApplies(info)) return winogradFilterGradient(backend, x, dy, info);
  if (singleChannelApplies(info)) return singleChannelFilterGradient(backend, x, dy, info);
  const { batchSize, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const rows = filterHeight * filterWidth * inChannels;
  const imagesPerBlock = Math.max(1, Math.min(batchSize, Math.floor(blockPositions / (outHeight * outWidth))));
  const temporaries: TensorInfo[] = [];
  try {
    const channelMajor = inChannels === 1 ? x : runStockKernel(Transpose, { x }, backend, { perm: [3, 0, 1, 2] });
    if (channelMajor !== x) temporaries.push(channelMajor);
    const cols = backend.makeOutput([1, rows, imagesPerBlock * outHeight * outWidth], 'float32');
    temporaries.push(cols);
    // All of these live in the wasm heap: copyWithin on one view of it moves runs without allocating.
    const xView = heapFloats(backend, channelMajor);
    const heap = new Float32Array(xView.buffer);
    const colsBase = heapFloats(backend, cols).byteOffset / 4;
    const dyBase = heapFloats(backend, dy).byteOffset / 4;
    const sums = new Float64Array(rows * outChannels);
    for (let first = 0; first < batchSize; first += imagesPerBlock) {
      const block: ColumnBlock = { heap, info, xBase: xView.byteOffset / 4, colsBase, first, images: Math.min(imagesPerBlock, batchSize - first) };
      fillColumns(block);
      addBlockProduct(backend, block, cols, dyBase, sums);
    }
    const out = backend.makeOutput([...attrs.filterShape], 'float32');
    heapFloats(backend, out).set(sums);
    return out;
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

function singleChannelApplies(info: backend_util.Conv2DInfo): boolean {
  const { inChannels, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  return (
    inChannels === 1 &&
    outChannels % 4 === 0 &&
    filterHeight === 3 &&
    filterWidth === 3 &&
    strideHeight === 1 &&
    strideWidth === 1 &&
    dilationHeight === 1 &&
    dilationWidth === 1
  );
}

function singleChannelFilterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  noteKernelRun('one-channel filter gradient');
  const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels } = info;
  const out = backend.makeOutput([3, 3, 1, outChannels], 'float32');
  const args = [batchSize, inHeight, inWidth, outHeight, outWidth, outChannels, info.padInfo.top, info.padInfo.left] as const;
  nativeKernels(backend).single_channel_filter_gradient_3x3(address(backend, x), address(backend, dy), address(backend, out), ...args);
  return out;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
