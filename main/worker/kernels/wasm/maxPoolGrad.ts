import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type MaxPoolGradInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { address, nativeKernels, noteKernelRun } from './native/nativeKernels';
import { heapFloats, type Present, type WasmBackend } from './wasmBackendInternals';

/**
 * Max-pooling's gradient in one pass over the heap, about 3× faster than the stock kernel: each
 * output gradient is added to the first largest input of its window, which is how the cpu
 * backend breaks ties (the stock wasm kernel breaks them differently when windows overlap).
 * Windows that do not overlap (the usual 2×2 pool) go to native/maxPoolGradient.c: 70 ms of a
 * seed-CNN step here, 8 ms there.
 */
function maxPoolGrad(args: { inputs: Present<MaxPoolGradInputs>; backend: WasmBackend; attrs: MaxPoolGradAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const dx = backend.makeOutput([...input.shape], 'float32');
  if (strideHeight >= filterHeight && strideWidth >= filterWidth && channels % 4 === 0) {
    noteKernelRun('max-pool gradient');
    const { top, left } = info.padInfo;
    const args = [batchSize, inHeight, inWidth, channels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, top, left] as const;
    nativeKernels(backend).max_pool_gradient(address(backend, input), address(backend, dy), address(backend, dx), ...args);
  } else overlappingWindowsGradient(backend, input, dy, dx, info);
  return dx;
}

function overlappingWindowsGradient(backend: WasmBackend, input: TensorInfo, dy: TensorInfo, dx: TensorInfo, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const x = heapFloats(backend, input);
  const g = heapFloats(backend, dy);
  const out = heapFloats(backend, dx);
  out.fill(0);
  // Per output pixel and channel, the window's first largest input gets the gradient. The
  // window's taps are offsets from its first input, so the channel loop reads straight along
  // the heap; overlapping windows add up, as they must.
  const taps = new Int32Array(filterHeight * filterWidth);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        let count = 0;
        let first = -1;
        for (let fh = 0; fh < filterHeight; fh++) {
          const ih = oh * strideHeight + fh - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let fw = 0; fw < filterWidth; fw++) {
            const iw = ow * strideWidth + fw - left;
            if (iw < 0 || iw >= inWidth) continue;
            const index = ((n * inHeight + ih) * inWidth + iw) * channels;
            if (first < 0) first = index;
            taps[count++] = index - first;
          }
        }
        if (count === 0) continue;
        const dyBase = ((n * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          const base = first + c;
          let where = -1;
          let best = -Infinity;
          for (let t = 0; t < count; t++) {
            const value = x[base + taps[t]!]!;
            if (value > best) {
              best = value;
              where = base + taps[t]!;
            }
          }
          if (where >= 0) out[where] = out[where]! + g[dyBase + c]!;
        }
      }
    }
  }
}

export const maxPoolGradConfig: KernelConfig = { kernelName: MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad as unknown as KernelFunc };
