import {
  backend_util,
  Conv2D,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runStockKernel } from './replaceKernel';
import { heapFloats, type Present, type WasmBackend } from './wasmBackendInternals';
import { winogradApplies, winogradInputGradient } from './native/winogradConvolution';

/**
 * The input gradient of a 2-D convolution: by Winograd where it applies (3×3, stride 1), else
 * as one forward convolution, which wasm runs through XNNPACK: dx = conv(dy dilated by the
 * stride and padded by k − 1 − pad, filter rotated 180° with its channels swapped). The stock kernel loops naively and took 2.3 s of a 2.9 s seed-CNN step.
 */
function conv2DBackpropInput(args: { inputs: Present<Conv2DBackpropInputInputs>; backend: WasmBackend; attrs: Conv2DBackpropInputAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const info =
    attrs.dataFormat === 'NHWC'
      ? backend_util.computeConv2DInfo(
          attrs.inputShape,
          filter.shape as [number, number, number, number],
          attrs.strides,
          1,
          attrs.pad,
          attrs.dimRoundingMode,
          false,
          'channelsLast',
        )
      : null;
  // What this rewrite does not cover goes to the stock kernel, which reads dy by its own shape:
  // NCHW, and a dy whose size is not the one inputShape, filter, strides and pad imply
  // (conv2dTranspose with an explicit output shape makes such calls).
  if (!info || dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth)
    return runStockKernel(Conv2DBackpropInput, { dy, filter }, backend, { ...attrs });
  if (winogradApplies(info)) return winogradInputGradient(backend, dy, filter, info);
  const { inHeight, inWidth, outHeight, outWidth, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const temporaries: TensorInfo[] = [];
  try {
    const flipped = rotatedFilter(backend, filter, info);
    temporaries.push(flipped);
    const source = sh > 1 || sw > 1 ? dilatedByStride(backend, dy, info) : dy;
    if (source !== dy) temporaries.push(source);
    const dilatedHeight = (outHeight - 1) * sh + 1;
    const dilatedWidth = (outWidth - 1) * sw + 1;
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const pad: backend_util.ExplicitPadding = [
      [0, 0],
      [top, inHeight + kh - 1 - dilatedHeight - top],
      [left, inWidth + kw - 1 - dilatedWidth - left],
      [0, 0],
    ];
    return runStockKernel(Conv2D, { x: source, filter: flipped }, backend, { strides: 1, dilations: 1, pad, dataFormat: 'NHWC' });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** The filter rotated 180° with its in and out channels swapped: [kh, kw, out, in]. */
function rotatedFilter(backend: WasmBackend, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inChannels, outChannels } = info;
  const flipped = backend.makeOutput([kh, kw, outChannels, inChannels], 'float32');
  const w = heapFloats(backend, filter);
  const f = heapFloats(backend, flipped);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < inChannels; c++)
        for (let o = 0; o < outChannels; o++)
          f[((i * kw + j) * outChannels + o) * inChannels + c] = w[(((kh - 1 - i) * kw + (kw - 1 - j)) * inChannels + c) * outChannels + o]!;
  return flipped;
}

/** dy with stride − 1 zero rows and columns between its values, so a stride-1 convolution reads it. */
function dilatedByStride(backend: WasmBackend, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, outHeight, outWidth, outChannels, strideHeight: sh, strideWidth: sw } = info;
  const dilatedHeight = (outHeight - 1) * sh + 1;
  const dilatedWidth = (outWidth - 1) * sw + 1;
  const dilated = backend.makeOutput([batchSize, dilatedHeight, dilatedWidth, outChannels], 'float32');
  const from = heapFloats(backend, dy);
  const to = heapFloats(backend, dilated);
  to.fill(0);
  for (let n = 0; n < batchSize; n++)
    for (let y = 0; y < outHeight; y++)
      for (let x = 0; x < outWidth; x++) {
        const src = ((n * outHeight + y) * outWidth + x) * outChannels;
        to.set(from.subarray(src, src + outChannels), ((n * dilatedHeight + y * sh) * dilatedWidth + x * sw) * outChannels);
      }
  return dilated;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
