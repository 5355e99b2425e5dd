import type { Activation, LayerStack } from '../../../shared/layers/layerSpec';
import { imageSide } from '../../../shared/mnist';

// What the WebGPU engine computes for a layer stack, worked out before anything touches a GPU:
// the operations in order, each buffer's shape, and where each weight sits in the one flat
// parameter buffer (in tfjs' getWeights() order, so checkpoints read and write unchanged).

/** A weight in the flat parameter buffer: its shape and its offset in floats. */
export interface ParameterSlot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** A buffer's shape per image: [height, width, channels] for images and feature maps, [values] once flat. */
export type ImageShape = [number, number, number];

interface Connects {
  /** The activation buffer it reads (0 is the batch of images) and the one it writes. */
  source: number;
  target: number;
}

/** One dense layer: y = activation(x · W + b), x of `inputs` values a row, y of `units`. */
export interface DenseOp extends Connects {
  kind: 'dense';
  inputs: number;
  units: number;
  activation: Activation;
  kernel: ParameterSlot;
  bias: ParameterSlot;
}

/** A square window sliding over NHWC maps: a convolution's or a pooling layer's, with Keras' padding. */
export interface WindowGeometry {
  input: ImageShape;
  output: ImageShape;
  size: number;
  stride: number;
  padTop: number;
  padLeft: number;
}

/** A 2-D convolution with tfjs' [kh, kw, in, out] kernel. */
export interface ConvOp extends Connects, WindowGeometry {
  kind: 'conv';
  activation: Activation;
  kernel: ParameterSlot;
  bias: ParameterSlot;
}

/** Max or average pooling; a max pool keeps each window's winner for the gradient. */
export interface PoolOp extends Connects, WindowGeometry {
  kind: 'pool';
  mode: 'max' | 'average';
}

/** Dropout in training: each value kept with probability 1 − rate and scaled by 1 / (1 − rate). */
export interface DropoutOp extends Connects {
  kind: 'dropout';
  rate: number;
  width: number;
  /** Which dropout of the stack: its masks are drawn from their own counter stream. */
  stream: number;
}

/**
 * Batch normalisation over the last axis (channels), as tfjs' BatchNormalization with its
 * defaults: the batch's mean and biased variance in training, the moving ones (momentum 0.99)
 * in inference, epsilon 1e-3; an Activation layer after it is fused in.
 */
export interface BatchNormOp extends Connects {
  kind: 'batchNorm';
  channels: number;
  /** Values of each channel in one image: height × width, or 1 once flat. */
  positions: number;
  activation: Activation;
  gamma: ParameterSlot;
  beta: ParameterSlot;
  movingMean: ParameterSlot;
  movingVariance: ParameterSlot;
}

/** An Activation layer with nothing before it to fuse into (after pooling, dropout or another activation). */
export interface ActivationOp extends Connects {
  kind: 'activation';
  activation: Activation;
  width: number;
}

export type EngineOp = DenseOp | ConvOp | PoolOp | DropoutOp | BatchNormOp | ActivationOp;

/** tfjs' BatchNormalization defaults, which buildModel keeps. */
export const batchNormMomentum = 0.99;
export const batchNormEpsilon = 1e-3;

export interface EnginePlan {
  ops: EngineOp[];
  /** Values per image in each activation buffer; buffer 0 holds the images (784). */
  widths: number[];
  /** Every weight in tfjs' getWeights() order: the trainable ones layer by layer, then the moving statistics. */
  parameters: ParameterSlot[];
  /** Floats in the parameter buffer; the first `trainableCount` are what the optimiser updates. */
  parameterCount: number;
  trainableCount: number;
  classes: number;
}

/** Keras' output size and the padding before the first row or column ('same' splits it, the extra at the end). */
function window(input: number, size: number, stride: number, padding: 'valid' | 'same'): { output: number; before: number } {
  if (padding === 'valid') return { output: Math.floor((input - size) / stride) + 1, before: 0 };
  const output = Math.ceil(input / stride);
  return { output, before: Math.floor(Math.max((output - 1) * stride + size - input, 0) / 2) };
}

type WindowLayer = Extract<LayerStack[number], { type: 'conv2d' | 'maxPooling2d' | 'averagePooling2d' }>;

/** A convolution or pooling layer's op over an input of `shape`, its weights placed by `slot`. */
function planWindowLayer(
  layer: WindowLayer,
  shape: ImageShape,
  index: number,
  slot: (name: string, dims: number[]) => ParameterSlot,
  connect: (width: number) => Connects,
): ConvOp | PoolOp | { unsupported: string } {
  const [h, w, c] = shape;
  const size = layer.type === 'conv2d' ? layer.kernelSize : layer.poolSize;
  const stride = layer.type === 'conv2d' ? layer.strides : (layer.strides ?? layer.poolSize);
  const rows = window(h, size, stride, layer.padding);
  const columns = window(w, size, stride, layer.padding);
  if (layer.type === 'averagePooling2d' && layer.padding === 'same') return { unsupported: "average pooling with 'same' padding" };
  const geometry = { input: shape, size, stride, padTop: rows.before, padLeft: columns.before };
  if (layer.type === 'conv2d') {
    const output: ImageShape = [rows.output, columns.output, layer.filters];
    const kernel = slot(`conv ${index} kernel`, [size, size, c, layer.filters]);
    const bias = slot(`conv ${index} bias`, [layer.filters]);
    return { kind: 'conv', ...geometry, output, activation: layer.activation, kernel, bias, ...connect(output[0] * output[1] * output[2]) };
  }
  const output: ImageShape = [rows.output, columns.output, c];
  return { kind: 'pool', mode: layer.type === 'maxPooling2d' ? 'max' : 'average', ...geometry, output, ...connect(output[0] * output[1] * c) };
}

/** A batch normalisation over `shape`'s channels: γ and β placed by `slot`, the moving statistics added to `moving` (placed last). */
function planBatchNorm(
  index: number,
  [h, w, channels]: ImageShape,
  slot: (name: string, dims: number[]) => ParameterSlot,
  moving: ParameterSlot[],
  connect: (width: number) => Connects,
): BatchNormOp {
  const [gamma, beta] = [slot(`batch norm ${index} gamma`, [channels]), slot(`batch norm ${index} beta`, [channels])];
  const [movingMean, movingVariance] = ['moving mean', 'moving variance'].map((name) => {
    const placed = { name: `batch norm ${index} ${name}`, shape: [channels], offset: 0, size: channels };
    moving.push(placed);
    return placed;
  }) as [ParameterSlot, ParameterSlot];
  const positions = h * w;
  return { kind: 'batchNorm', channels, positions, activation: 'linear', gamma, beta, movingMean, movingVariance, ...connect(positions * channels) };
}

/**
 * An Activation layer straight after a layer's linear output is that layer's activation, with no
 * buffer or kernel of its own: fuses it into `before` (the op writing buffer `latest`) if so.
 */
function fuseActivation(before: EngineOp | undefined, activation: Activation, latest: number): boolean {
  if (!before || before.target !== latest) return false;
  if (before.kind !== 'dense' && before.kind !== 'conv' && before.kind !== 'batchNorm') return false;
  if (before.activation !== 'linear') return false;
  before.activation = activation;
  return true;
}

/** The engine's plan for `layers`, or the reason it cannot train them (the tfjs WebGPU path does instead). */
export function planEngine(layers: LayerStack): EnginePlan | { unsupported: string } {
  const ops: EngineOp[] = [];
  const widths = [imageSide * imageSide];
  const parameters: ParameterSlot[] = [];
  let shape: ImageShape | null = [imageSide, imageSide, 1];
  let offset = 0;
  let dropouts = 0;
  /** Moving statistics come after every trainable weight, in tfjs' order and in the buffer. */
  const moving: ParameterSlot[] = [];
  /** Places a weight next in the buffer and in the list (into `placed`, for a moving statistic made earlier). */
  const slot = (name: string, dims: number[], placed: ParameterSlot = { name, shape: dims, offset: 0, size: 0 }): ParameterSlot => {
    placed.size = dims.reduce((a, b) => a * b, 1);
    placed.offset = offset;
    offset += placed.size;
    parameters.push(placed);
    return placed;
  };
  const connect = (width: number): Connects => {
    widths.push(width);
    return { source: widths.length - 2, target: widths.length - 1 };
  };
  for (const [index, layer] of layers.entries()) {
    const last = index === layers.length - 1;
    if (layer.type === 'input') continue;
    if (layer.type === 'flatten') {
      shape = null;
      continue;
    }
    if ('activation' in layer && layer.activation === 'softmax' && !last) return { unsupported: 'softmax before the last layer' };
    if (layer.type === 'dense') {
      if (shape) return { unsupported: 'a Dense layer on an image (without Flatten before it)' };
      const inputs = widths.at(-1)!;
      const kernel = slot(`dense ${index} kernel`, [inputs, layer.units]);
      const bias = slot(`dense ${index} bias`, [layer.units]);
      ops.push({ kind: 'dense', inputs, units: layer.units, activation: layer.activation, kernel, bias, ...connect(layer.units) });
    } else if (layer.type === 'conv2d' || layer.type === 'maxPooling2d' || layer.type === 'averagePooling2d') {
      if (!shape) return { unsupported: `${layer.type} after Flatten` };
      const planned = planWindowLayer(layer, shape, index, slot, connect);
      if ('unsupported' in planned) return planned;
      ops.push(planned);
      shape = planned.output;
    } else if (layer.type === 'dropout') {
      if (ops.at(-1)?.kind === 'dropout') return { unsupported: 'two Dropout layers in a row' };
      const width = widths.at(-1)!;
      ops.push({ kind: 'dropout', rate: layer.rate, width, stream: dropouts++, ...connect(width) });
    } else if (layer.type === 'batchNormalization') {
      ops.push(planBatchNorm(index, shape ?? [1, 1, widths.at(-1)!], slot, moving, connect));
    } else if (!fuseActivation(ops.at(-1), layer.activation, widths.length - 1)) {
      if (layer.activation === 'softmax') return { unsupported: 'a softmax Activation layer after pooling or dropout' };
      ops.push({ kind: 'activation', activation: layer.activation, width: widths.at(-1)!, ...connect(widths.at(-1)!) });
    }
  }
  const final = ops.at(-1);
  if (final?.kind !== 'dense') return { unsupported: 'a stack that does not end in a Dense layer' };
  if (final.activation !== 'softmax') return { unsupported: 'a last layer without softmax' };
  const trainableCount = offset;
  for (const placed of moving) slot(placed.name, placed.shape, placed);
  return { ops, widths, parameters, parameterCount: offset, trainableCount, classes: final.units };
}

/** Multiply-adds of one image through a layer with weights: its output values times the inputs each one sums. */
function multiplyAdds(op: DenseOp | ConvOp): number {
  if (op.kind === 'dense') return op.inputs * op.units;
  return op.output[0] * op.output[1] * op.output[2] * op.size * op.size * op.input[2];
}

/** Floating-point operations of one training step of `batch` images: forward, input gradients, weight gradients. */
export function stepFlops(plan: EnginePlan, batch: number): number {
  return plan.ops.reduce((sum, op) => {
    if (op.kind !== 'dense' && op.kind !== 'conv') return sum;
    // The layer reading the images needs no input gradient.
    const passes = op.source === 0 ? 2 : 3;
    return sum + 2 * batch * multiplyAdds(op) * passes;
  }, 0);
}
