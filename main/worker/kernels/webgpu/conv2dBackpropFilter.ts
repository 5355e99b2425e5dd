import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { stockKernel, type Present } from '../kernelReplacement';
import type { ProgramUniform, WebGPUProgram, WebGpuBackend } from './webgpuBackendInternals';

const tile = 16;

/** x's value under filter tap k (row, column, channel) at output position p (image, pixel): im2col, gathered on the fly. */
const patchValueSnippet = `
      fn patchValue(p : i32, k : i32) -> f32 {
        let inChannels = uniforms.xShape[3];
        let outPixels = uniforms.dyShape[1] * uniforms.dyShape[2];
        let n = p / outPixels;
        let pixel = p % outPixels;
        let tapsPerRow = uniforms.filterWidth * inChannels;
        let row = (pixel / uniforms.dyShape[2]) * uniforms.strides.x - uniforms.pads.x + k / tapsPerRow;
        let col = (pixel % uniforms.dyShape[2]) * uniforms.strides.y - uniforms.pads.y + (k % tapsPerRow) / inChannels;
        if (row < 0 || row >= uniforms.xShape[1] || col < 0 || col >= uniforms.xShape[2]) {
          return 0.0;
        }
        return x[((n * uniforms.xShape[1] + row) * uniforms.xShape[2] + col) * inChannels + k % inChannels];
      }
`;

/**
 * One split of the filter gradient as a tiled matrix product: dW[k, c] = Σ_p im2col(x)[p, k] ·
 * dy[p, c] over the split's share of the positions p (every image's every output pixel), k the
 * filter tap (row, column, input channel) and c the output channel. Each 16×16 workgroup owns a
 * tile of dW and walks its positions 16 at a time through workgroup memory, gathering x's
 * patches on the fly; every split writes its own partial sum.
 */
class FilterGradientPartsProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  uniforms = 'pads : vec2<i32>, strides : vec2<i32>, filterWidth : i32, positionsPerSplit : i32,';
  workgroupSize: [number, number, number] = [tile, tile, 1];
  dispatchLayout = { x: [2], y: [1], z: [0] };
  dispatch: [number, number, number];
  outputShape: number[];
  shaderKey = 'mnistLabConv2DFilterGradientParts';

  constructor(splits: number, taps: number, outChannels: number) {
    this.outputShape = [splits, taps, outChannels];
    this.dispatch = [Math.ceil(outChannels / tile), Math.ceil(taps / tile), splits];
  }

  getUserCode(): string {
    return `
      var<workgroup> patches : array<array<f32, ${tile}>, ${tile}>;
      var<workgroup> grads : array<array<f32, ${tile}>, ${tile}>;
      var<workgroup> splitBounds : vec2<i32>;

      ${patchValueSnippet}
      ${'fn main()'} {
        let taps = uniforms.outShape[1];
        let outChannels = uniforms.outShape[2];
        let lx = i32(localId.x);
        let ly = i32(localId.y);
        let c = i32(workgroupId.x) * ${tile} + lx;
        let k = i32(workgroupId.y) * ${tile} + ly;
        let positions = uniforms.dyShape[0] * uniforms.dyShape[1] * uniforms.dyShape[2];
        let loadK = i32(workgroupId.y) * ${tile} + lx;
        // The split's range, made provably uniform (tfjs keeps workgroupId in a private
        // variable), since the loop below holds barriers.
        if (localIndex == 0u) {
          let first = i32(workgroupId.z) * uniforms.positionsPerSplit;
          splitBounds = vec2<i32>(first, min(first + uniforms.positionsPerSplit, positions));
        }
        let bounds = workgroupUniformLoad(&splitBounds);
        let end = bounds.y;
        var sum = 0.0;
        for (var p0 = bounds.x; p0 < end; p0 = p0 + ${tile}) {
          let p = p0 + ly;
          var tapValue = 0.0;
          var gradValue = 0.0;
          if (p < end) {
            if (loadK < taps) {
              tapValue = patchValue(p, loadK);
            }
            if (c < outChannels) {
              gradValue = dy[p * outChannels + c];
            }
          }
          patches[ly][lx] = tapValue;
          grads[ly][lx] = gradValue;
          workgroupBarrier();
          for (var j = 0; j < ${tile}; j = j + 1) {
            sum = sum + patches[j][ly] * grads[j][lx];
          }
          workgroupBarrier();
        }
        if (k < taps && c < outChannels) {
          result[(i32(workgroupId.z) * taps + k) * outChannels + c] = sum;
        }
      }
    `;
  }
}

/** Adds the splits' partial sums: parts [splits, n] → [n], in the filter's shape. */
class SumPartsProgram implements WebGPUProgram {
  variableNames = ['parts'];
  uniforms = 'splits : i32,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  shaderKey = 'mnistLabSumParts';

  constructor(readonly outputShape: number[]) {
    const size = outputShape.reduce((a, b) => a * b, 1);
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    this.dispatch = [Math.ceil(size / 64), 1, 1];
  }

  getUserCode(): string {
    return `
      ${'fn main(index : i32)'} {
        if (index < uniforms.size) {
          var sum = 0.0;
          for (var s = 0; s < uniforms.splits; s = s + 1) {
            sum = sum + parts[s * uniforms.size + index];
          }
          setOutputAtIndex(index, sum);
        }
      }
    `;
  }
}

/** Enough splits to fill a large GPU (thousands of workgroups), each at least 512 positions long. */
function splitCount(positions: number): number {
  return Math.max(1, Math.min(64, Math.floor(positions / 512)));
}

/**
 * The filter gradient of a 2-D convolution (NHWC): split-K tiled product, then one sum of the
 * splits. The stock kernel gives each filter weight one thread that loops over the whole batch,
 * which took 61 % of a seed-CNN step's GPU time on an H200. NCHW goes to the stock kernel.
 */
function conv2DBackpropFilter(args: { inputs: Present<Conv2DBackpropFilterInputs>; backend: WebGpuBackend; attrs: Conv2DBackpropFilterAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  if (attrs.dataFormat !== 'NHWC' || x.dtype !== 'float32') return stockKernel('webgpu', Conv2DBackpropFilter)(args as never) as TensorInfo;
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
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const splits = splitCount(positions);
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const uniforms: ProgramUniform[] = [
    { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    { type: 'int32', data: [info.filterWidth] },
    { type: 'int32', data: [Math.ceil(positions / splits)] },
  ];
  const parts = backend.runWebGPUProgram(new FilterGradientPartsProgram(splits, taps, info.outChannels), [x, dy], 'float32', uniforms);
  const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  const sum = backend.runWebGPUProgram(new SumPartsProgram(filterShape), [parts], 'float32', [{ type: 'int32', data: [splits] }]);
  backend.disposeData(parts.dataId);
  return sum;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'webgpu',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
