import { classCount } from '../mnist';
import { designReason, wordDesignReason, type DesignReason } from './designProblems';
import { formatShape, layerTypeNames } from './layerNames';
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
  /** A sentence a learner understands, e.g. "Conv2D needs an image-shaped input, but Flatten before it produced a vector of 784". */
  message: string;
  /** The same as a key and parameters, for the designer to word in the user's language. */
  reason: DesignReason;
}

function stackProblem(index: number, reason: DesignReason): StackProblem {
  return { index, message: wordDesignReason(reason), reason };
}

/** A problem with the layer it is about, for a message outside the designer: "layer 3: …". */
export function describeProblem(problem: StackProblem): string {
  return problem.index >= 0 ? `layer ${problem.index + 1}: ${problem.message}` : problem.message;
}

export type StackAnalysis =
  { ok: true; layers: LayerInfo[]; totalParams: number; trainableParams: number } | { ok: false; problems: StackProblem[]; layers: LayerInfo[] };

function convOutputSize(input: number, kernel: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - kernel) / stride) + 1;
}

/** What produced a layer's input, for messages: "Flatten before it" or "the input". */
const producer = (previous: LayerSpec): DesignReason =>
  previous.type === 'input' ? designReason('producer.input') : designReason('producer.layer', { layer: layerTypeNames[previous.type] });

/** A shape in a sentence: "an image of 26×26×32" or "a vector of 784". */
const shapeInWords = (shape: TensorShape): DesignReason => designReason(shape.length === 3 ? 'shape.image' : 'shape.vector', { shape: formatShape(shape) });

/**
 * The output shape and parameter count of one layer given its input shape (made by `previous`),
 * or a sentence saying why the layer cannot follow that input.
 */
export function inferOutputShape(
  layer: LayerSpec,
  input: TensorShape,
  previous: LayerSpec = { type: 'input', shape: [28, 28, 1] },
): { shape: TensorShape; params: number; trainableParams: number } | { error: DesignReason } {
  const name = layerTypeNames[layer.type];
  switch (layer.type) {
    case 'input':
      return { error: designReason('inputFirst') };
    case 'conv2d':
    case 'maxPooling2d':
    case 'averagePooling2d': {
      if (input.length !== 3) return { error: designReason('needsImage', { layer: name, producer: producer(previous), shape: shapeInWords(input) }) };
      const [h, w, c] = input as [number, number, number];
      const kernel = layer.type === 'conv2d' ? layer.kernelSize : layer.poolSize;
      const stride = layer.type === 'conv2d' ? layer.strides : (layer.strides ?? layer.poolSize);
      const oh = convOutputSize(h, kernel, stride, layer.padding);
      const ow = convOutputSize(w, kernel, stride, layer.padding);
      if (oh < 1 || ow < 1) {
        return { error: designReason('windowTooLarge', { layer: name, kernel, height: h, width: w, producer: producer(previous) }) };
      }
      if (layer.type !== 'conv2d') return { shape: [oh, ow, c], params: 0, trainableParams: 0 };
      const params = kernel * kernel * c * layer.filters + layer.filters;
      return { shape: [oh, ow, layer.filters], params, trainableParams: params };
    }
    case 'dense': {
      if (input.length !== 1) return { error: designReason('needsVector', { producer: producer(previous), shape: shapeInWords(input) }) };
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

/** Why the last layer cannot give one probability per digit, or null. */
function outputProblem(last: LayerSpec): DesignReason | null {
  if (last.type !== 'dense' || last.units !== classCount) return designReason('outputCount', { classes: classCount });
  if (last.activation !== 'softmax') return designReason('outputSoftmax', { classes: classCount });
  return null;
}

/** Layers before the last that use softmax: it squashes a layer into probabilities, which only the output should be. */
function misplacedSoftmax(stack: LayerStack): StackProblem[] {
  return stack
    .map((layer, index) => ({ layer, index }))
    .filter(({ layer, index }) => index < stack.length - 1 && 'activation' in layer && layer.activation === 'softmax')
    .map(({ index }) => stackProblem(index, designReason('softmaxMisplaced')));
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
    return { ok: false, problems: [stackProblem(0, designReason('firstMustBeInput'))], layers };
  }
  let shape: TensorShape = [...first.shape];
  layers.push({ index: 0, layer: first, outputShape: shape, params: 0, trainableParams: 0 });
  for (let index = 1; index < stack.length; index++) {
    const layer = stack[index]!;
    const result = inferOutputShape(layer, shape, stack[index - 1]);
    if ('error' in result) {
      problems.push(stackProblem(index, result.error));
      break;
    }
    shape = result.shape;
    layers.push({ index, layer, outputShape: shape, params: result.params, trainableParams: result.trainableParams });
  }
  const output = problems.length === 0 ? outputProblem(stack[stack.length - 1]!) : null;
  problems.push(...misplacedSoftmax(stack));
  if (output) problems.push(stackProblem(stack.length - 1, output));
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.index - b.index), layers };
  return {
    ok: true,
    layers,
    totalParams: layers.reduce((sum, l) => sum + l.params, 0),
    trainableParams: layers.reduce((sum, l) => sum + l.trainableParams, 0),
  };
}
