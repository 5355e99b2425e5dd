import { classCount } from '../mnist';
import type { LayerSpec, LayerStack, TensorShape } from './layerSpec';

/** What the designer shows for one layer, and what the model builder relies on. */
export interface LayerInfo {
  index: number;
  layer: LayerSpec;
  outputShape: TensorShape;
  /** Counted as Keras counts them (BatchNormalization: 4 per channel, 2 of them trainable). */
  params: number;
  trainableParams: number;
}

export interface StackProblem {
  /** The layer at fault, or -1 for the stack as a whole. */
  index: number;
  message: string;
}

export type StackAnalysis =
  | { ok: true; layers: LayerInfo[]; totalParams: number; trainableParams: number }
  | { ok: false; problems: StackProblem[]; layers: LayerInfo[] };

function convOutputSize(input: number, kernel: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - kernel) / stride) + 1;
}

const describe = (layer: LayerSpec, index: number): string => `layer ${index + 1} (${layer.type})`;

/**
 * The output shape and parameter count of one layer given its input shape, or a message saying
 * why the layer cannot follow that input.
 */
export function inferOutputShape(
  layer: LayerSpec,
  input: TensorShape,
): { shape: TensorShape; params: number; trainableParams: number } | { error: string } {
  const spatial = input.length === 3;
  switch (layer.type) {
    case 'input':
      return { error: 'an input layer may only come first' };
    case 'conv2d':
    case 'maxPooling2d':
    case 'averagePooling2d': {
      if (!spatial) return { error: `needs an image-shaped input [h, w, c] but gets [${input.join(', ')}]` };
      const [h, w, c] = input as [number, number, number];
      const kernel = layer.type === 'conv2d' ? layer.kernelSize : layer.poolSize;
      const stride = layer.type === 'conv2d' ? layer.strides : (layer.strides ?? layer.poolSize);
      const oh = convOutputSize(h, kernel, stride, layer.padding);
      const ow = convOutputSize(w, kernel, stride, layer.padding);
      if (oh < 1 || ow < 1) {
        return { error: `a ${kernel}×${kernel} window does not fit a ${h}×${w} input with 'valid' padding` };
      }
      if (layer.type !== 'conv2d') return { shape: [oh, ow, c], params: 0, trainableParams: 0 };
      const params = kernel * kernel * c * layer.filters + layer.filters;
      return { shape: [oh, ow, layer.filters], params, trainableParams: params };
    }
    case 'dense': {
      if (input.length !== 1) return { error: `needs a flat input but gets [${input.join(', ')}]: add Flatten before it` };
      const params = input[0]! * layer.units + layer.units;
      return { shape: [layer.units], params, trainableParams: params };
    }
    case 'flatten':
      return { shape: [input.reduce((a, b) => a * b, 1)], params: 0, trainableParams: 0 };
    case 'batchNormalization': {
      const channels = input[input.length - 1]!;
      return { shape: input, params: 4 * channels, trainableParams: 2 * channels };
    }
    case 'dropout':
    case 'activation':
      return { shape: input, params: 0, trainableParams: 0 };
  }
}

/**
 * Checks a whole stack and infers every layer's output shape and parameters. The designer shows
 * the problems next to the layers; the worker refuses any stack that is not ok.
 */
export function analyzeStack(stack: LayerStack): StackAnalysis {
  const problems: StackProblem[] = [];
  const layers: LayerInfo[] = [];
  const first = stack[0];
  if (!first || first.type !== 'input') {
    return { ok: false, problems: [{ index: 0, message: 'the first layer must be the 28×28×1 input' }], layers };
  }
  let shape: TensorShape = [...first.shape];
  layers.push({ index: 0, layer: first, outputShape: shape, params: 0, trainableParams: 0 });
  for (let index = 1; index < stack.length; index++) {
    const layer = stack[index]!;
    const result = inferOutputShape(layer, shape);
    if ('error' in result) {
      problems.push({ index, message: `${describe(layer, index)} ${result.error}` });
      break;
    }
    shape = result.shape;
    layers.push({ index, layer, outputShape: shape, params: result.params, trainableParams: result.trainableParams });
  }
  const last = stack[stack.length - 1]!;
  if (problems.length === 0) {
    if (last.type !== 'dense' || last.units !== classCount || last.activation !== 'softmax') {
      problems.push({
        index: stack.length - 1,
        message: `the last layer must be Dense with ${classCount} units and softmax, one probability per digit`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems, layers };
  return {
    ok: true,
    layers,
    totalParams: layers.reduce((sum, l) => sum + l.params, 0),
    trainableParams: layers.reduce((sum, l) => sum + l.trainableParams, 0),
  };
}
