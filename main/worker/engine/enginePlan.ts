import type { Activation, LayerStack } from '../../../shared/layers/layerSpec';
import { pixelsPerImage } from '../../../shared/mnist';

// What the WebGPU engine computes for a layer stack, worked out before anything touches a GPU:
// the operations in order, each buffer's width, and where each weight sits in the one flat
// parameter buffer (in tfjs' getWeights() order, so checkpoints read and write unchanged).

/** A weight in the flat parameter buffer: tfjs' name for it, its shape and its offset in floats. */
export interface ParameterSlot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** One dense layer: y = activation(x · W + b), x of `inputs` values a row, y of `units`. */
export interface DenseOp {
  kind: 'dense';
  inputs: number;
  units: number;
  activation: Activation;
  kernel: ParameterSlot;
  bias: ParameterSlot;
  /** The activation buffer it reads (0 is the batch of images). */
  source: number;
  /** The activation buffer it writes. */
  target: number;
}

/** Dropout in training: each value kept with probability 1 − rate and scaled by 1 / (1 − rate). */
export interface DropoutOp {
  kind: 'dropout';
  rate: number;
  width: number;
  /** Which dropout of the stack: its masks are drawn from their own counter stream. */
  stream: number;
  source: number;
  target: number;
}

export type EngineOp = DenseOp | DropoutOp;

export interface EnginePlan {
  ops: EngineOp[];
  /** Values per image in each activation buffer; buffer 0 holds the images (784). */
  widths: number[];
  parameters: ParameterSlot[];
  parameterCount: number;
  classes: number;
}

/** The engine's plan for `layers`, or the reason it cannot train them (the tfjs WebGPU path does instead). */
export function planEngine(layers: LayerStack): EnginePlan | { unsupported: string } {
  const ops: EngineOp[] = [];
  const widths = [pixelsPerImage];
  const parameters: ParameterSlot[] = [];
  let flat = false;
  let offset = 0;
  let dropouts = 0;
  const slot = (name: string, shape: number[]): ParameterSlot => {
    const size = shape.reduce((a, b) => a * b, 1);
    const placed = { name, shape, offset, size };
    offset += size;
    parameters.push(placed);
    return placed;
  };
  let denseCount = 0;
  for (const [index, layer] of layers.entries()) {
    const current = widths.length - 1;
    if (layer.type === 'input') continue;
    if (layer.type === 'flatten') {
      flat = true;
      continue;
    }
    if (layer.type === 'dense') {
      if (!flat) return { unsupported: 'a Dense layer on an image (without Flatten before it)' };
      const last = index === layers.length - 1;
      if (layer.activation === 'softmax' && !last) return { unsupported: 'softmax on a Dense layer before the last' };
      if (last && layer.activation !== 'softmax') return { unsupported: 'a last layer without softmax' };
      const name = denseCount === 0 ? 'dense' : `dense_${denseCount}`;
      denseCount++;
      const inputs = widths[current]!;
      const kernel = slot(`${name}/kernel`, [inputs, layer.units]);
      const bias = slot(`${name}/bias`, [layer.units]);
      widths.push(layer.units);
      ops.push({ kind: 'dense', inputs, units: layer.units, activation: layer.activation, kernel, bias, source: current, target: current + 1 });
      continue;
    }
    if (layer.type === 'dropout') {
      if (ops.at(-1)?.kind === 'dropout') return { unsupported: 'two Dropout layers in a row' };
      const width = widths[current]!;
      widths.push(width);
      ops.push({ kind: 'dropout', rate: layer.rate, width, stream: dropouts++, source: current, target: current + 1 });
      continue;
    }
    return { unsupported: `${layer.type} layers (the engine trains Dense, Dropout and Flatten so far)` };
  }
  const last = ops.at(-1);
  if (last?.kind !== 'dense') return { unsupported: 'a stack that does not end in a Dense layer' };
  return { ops, widths, parameters, parameterCount: offset, classes: last.units };
}

/** Floating-point operations of one training step of `batch` images: forward, input gradients, weight gradients. */
export function stepFlops(plan: EnginePlan, batch: number): number {
  return plan.ops.reduce((sum, op, i) => {
    if (op.kind !== 'dense') return sum;
    const product = 2 * batch * op.inputs * op.units;
    // The first layer's input gradient is never needed.
    return sum + product * (i === firstDense(plan) ? 2 : 3);
  }, 0);
}

const firstDense = (plan: EnginePlan) => plan.ops.findIndex((op) => op.kind === 'dense');
