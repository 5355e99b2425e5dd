import { backend_util, Conv2DBackpropFilter, getKernel, registerKernel, BatchMatMul, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './wasmBackend';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * The filter gradient of a 2-D convolution, which the stock wasm backend lacks:
 *   dW[kh, kw, ci, co] = Σ over n, oh, ow of x[n, oh·s + kh − top, ow·s + kw − left, ci] · dy[n, oh, ow, co]
 * computed as one matrix product colsᵀ · dy, where colsᵀ [kh·kw·ci, n·oh·ow] is written straight
 * into the wasm heap in the layout the matmul wants, so no slices, concats or transposes run.
 */
function makeConv2DBackpropFilter(batchMatMul: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as {
      inputs: { x: TensorInfo; dy: TensorInfo };
      backend: WasmBackend;
      attrs: Conv2DBackpropFilterAttrs;
    };
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
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const rows = filterHeight * filterWidth * inChannels;
    const positions = batchSize * outHeight * outWidth;

    const cols = backend.makeOutput([1, rows, positions], 'float32');
    try {
      const xs = backend.typedArrayFromHeap(x) as Float32Array;
      const out = backend.typedArrayFromHeap(cols) as Float32Array;
      const rowStrideX = inWidth * inChannels;
      const imageStrideX = inHeight * rowStrideX;
      for (let kh = 0; kh < filterHeight; kh++) {
        for (let kw = 0; kw < filterWidth; kw++) {
          for (let c = 0; c < inChannels; c++) {
            let o = ((kh * filterWidth + kw) * inChannels + c) * positions;
            for (let n = 0; n < batchSize; n++) {
              const imageBase = n * imageStrideX + c;
              for (let oh = 0; oh < outHeight; oh++) {
                const ih = oh * strideHeight + kh - top;
                if (ih < 0 || ih >= inHeight) {
                  out.fill(0, o, o + outWidth);
                  o += outWidth;
                  continue;
                }
                const rowBase = imageBase + ih * rowStrideX;
                for (let ow = 0; ow < outWidth; ow++) {
                  const iw = ow * strideWidth + kw - left;
                  out[o++] = iw >= 0 && iw < inWidth ? xs[rowBase + iw * inChannels]! : 0;
                }
              }
            }
          }
        }
      }
      const dy3d: TensorInfo = { dataId: dy.dataId, shape: [1, positions, outChannels], dtype: dy.dtype };
      const result = batchMatMul({ inputs: { a: cols, b: dy3d }, backend, attrs: { transposeA: false, transposeB: false } } as never) as TensorInfo;
      result.shape = [...attrs.filterShape];
      return result;
    } finally {
      backend.disposeData(cols.dataId);
    }
  };
}

export function registerConv2DBackpropFilter(): void {
  const matMul = getKernel(BatchMatMul, 'wasm');
  if (!matMul) throw new Error('the wasm backend has no BatchMatMul kernel');
  if (getKernel(Conv2DBackpropFilter, 'wasm')) return;
  registerKernel({ kernelName: Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: makeConv2DBackpropFilter(matMul.kernelFunc) });
}
