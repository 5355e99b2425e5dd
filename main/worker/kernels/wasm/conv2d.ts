import {
  backend_util,
  Conv2D,
  FusedConv2D,
  util,
  type Conv2DAttrs,
  type Conv2DInputs,
  type FusedConv2DAttrs,
  type FusedConv2DInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runStockKernel } from './replaceKernel';
import type { Present, WasmBackend } from './wasmBackendInternals';
import { winogradApplies, winogradConv2d } from './native/winogradConvolution';

/**
 * The forward 2-D convolution, plain and fused with bias and ReLU (as tfjs-layers calls it), by
 * Winograd F(2×2, 3×3) where it applies (native/winogradConvolution.ts), else XNNPACK's stock
 * kernel. Measured on the seed CNN's second layer (200 images, one thread): see the README.
 */

function convolutionInfo(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): backend_util.Conv2DInfo | null {
  if (attrs.dataFormat !== 'NHWC') return null;
  return backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

function conv2D(args: { inputs: Present<Conv2DInputs>; backend: WasmBackend; attrs: Conv2DAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs;
  const info = convolutionInfo(x, filter, attrs);
  if (info && winogradApplies(info)) return winogradConv2d(backend, x, filter, info, null, false);
  return runStockKernel(Conv2D, { x, filter }, backend, { ...attrs });
}

function fusedConv2D(args: { inputs: FusedConv2DInputs; backend: WasmBackend; attrs: FusedConv2DAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter, bias, preluActivationWeights } = inputs as FusedConv2DInputs & Required<Pick<FusedConv2DInputs, 'x' | 'filter'>>;
  const info = convolutionInfo(x, filter, attrs);
  const ours =
    info &&
    winogradApplies(info) &&
    (attrs.activation === 'linear' || attrs.activation === 'relu') &&
    !preluActivationWeights &&
    (!bias || (bias.shape.length === 1 && util.sizeFromShape(bias.shape) === info.outChannels));
  if (ours) return winogradConv2d(backend, x, filter, info, bias ?? null, attrs.activation === 'relu');
  return runStockKernel(FusedConv2D, { ...inputs } as Record<string, TensorInfo>, backend, { ...attrs });
}

export const conv2DConfig: KernelConfig = { kernelName: Conv2D, backendName: 'wasm', kernelFunc: conv2D as unknown as KernelFunc };
export const fusedConv2DConfig: KernelConfig = { kernelName: FusedConv2D, backendName: 'wasm', kernelFunc: fusedConv2D as unknown as KernelFunc };
