import * as v from 'valibot';
import { activations, LayerSpecSchema, type Activation, type LayerSpec, type LayerStack } from '../../../shared/layers/layerSpec';
import { analyzeStack, describeProblem, type StackAnalysis } from '../../../shared/layers/inferShapes';
import { imageSide, inputShape, pixelsPerImage } from '../../../shared/mnist';
import { describeIssues } from '../../../shared/wire/validation';

// Turns a Keras model config (Keras 2 and tf.keras, Keras 3, or tfjs' own, which is Keras 2's
// JSON) into a layer stack MNIST Lab can build, or says which layer or setting it cannot take.

export class UnsupportedModelError extends Error {}

export interface ImportPlan {
  layers: LayerStack;
  /** For each layer after the input: its name in the file (to find its weights), or null for a layer added here. */
  sourceNames: (string | null)[];
  /** What was changed to fit MNIST Lab, in a sentence each. */
  notes: string[];
  /** The stack's shapes and parameter counts (it builds: a plan is only made for stacks that do). */
  analysis: Extract<StackAnalysis, { ok: true }>;
}

interface KerasLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** Keras 3 keeps the shape a layer was built for beside its config. */
  buildConfig: Record<string, unknown>;
  /** The names of the layers feeding this one (functional models only). */
  inbound: string[] | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The variables a layer of this type holds, in Keras' (and tfjs') order. */
export function weightVariables(spec: LayerSpec): string[] {
  switch (spec.type) {
    case 'conv2d':
    case 'dense':
      return ['kernel', 'bias'];
    case 'batchNormalization':
      return ['gamma', 'beta', 'moving_mean', 'moving_variance'];
    default:
      return [];
  }
}

/** The shape of each of `weightVariables(spec)`, for the layer reading `input`, as Keras stores them. */
export function weightShapes(spec: LayerSpec, input: readonly number[]): number[][] {
  const channels = input[input.length - 1] ?? 0;
  switch (spec.type) {
    case 'conv2d':
      return [[spec.kernelSize, spec.kernelSize, channels, spec.filters], [spec.filters]];
    case 'dense':
      return [[channels, spec.units], [spec.units]];
    case 'batchNormalization':
      return [[channels], [channels], [channels], [channels]];
    default:
      return [];
  }
}

/** Every layer name a functional model's inbound_nodes mention (Keras 2 lists, Keras 3 keras_history). */
function inboundNames(nodes: unknown): string[] {
  const names = new Set<string>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 12) return;
    if (Array.isArray(value)) {
      // Keras 2: [layer_name, node_index, tensor_index, kwargs].
      if (typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number') names.add(value[0]);
      else for (const item of value) visit(item, depth + 1);
    } else if (isRecord(value)) {
      const history = value.keras_history;
      if (Array.isArray(history) && typeof history[0] === 'string') names.add(history[0]);
      else for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  visit(nodes, 0);
  return [...names];
}

const jsonObject = v.record(v.string(), v.unknown());

/** One entry of a config's layer list, as Keras 2, Keras 3 and tfjs write it. */
const KerasLayerEntrySchema = v.looseObject({
  class_name: v.pipe(v.string(), v.maxLength(200)),
  name: v.optional(v.unknown()),
  config: v.optional(v.fallback(jsonObject, {})),
  build_config: v.optional(v.fallback(jsonObject, {})),
  inbound_nodes: v.optional(v.unknown()),
});

/** A model config's outer shape: the class, and its layers (Keras 2's oldest Sequential config is the list itself). */
const KerasModelConfigSchema = v.looseObject({
  class_name: v.string('the model config names no model class (Sequential or Functional)'),
  config: v.optional(v.union([v.array(v.unknown()), v.looseObject({ layers: v.optional(v.array(v.unknown())) })])),
});

/** The layer list of a sequential model, or of a functional one that is a single chain. */
function modelLayers(modelConfig: unknown): { layers: KerasLayer[]; config: Record<string, unknown>; top: Record<string, unknown> } {
  let top = modelConfig;
  // tfjs-converter's model.json nests the Keras config one level down.
  if (isRecord(top) && isRecord(top.model_config)) top = top.model_config;
  if (!isRecord(top)) throw new UnsupportedModelError('the model config is not a JSON object');
  const parsed = v.safeParse(KerasModelConfigSchema, top);
  if (!parsed.success) throw new UnsupportedModelError(parsed.issues[0].message);
  const className = parsed.output.class_name;
  const config = isRecord(top.config) ? top.config : {};
  const rawLayers = Array.isArray(parsed.output.config) ? parsed.output.config : parsed.output.config?.layers;
  if (!rawLayers) throw new UnsupportedModelError(`the model config (${className}) has no layer list`);
  const functional = className === 'Functional' || className === 'Model';
  if (className !== 'Sequential' && !functional)
    throw new UnsupportedModelError(`a ${className} model cannot be imported: only Sequential models and single-chain functional ones`);
  if (rawLayers.length > 200) throw new UnsupportedModelError(`the model has ${rawLayers.length} layers; MNIST Lab builds at most 64`);
  const layers = rawLayers.map((raw, i): KerasLayer => {
    const entry = v.safeParse(KerasLayerEntrySchema, raw);
    if (!entry.success) throw new UnsupportedModelError(`layer ${i + 1} of the config is not a Keras layer`);
    const layerConfig = entry.output.config ?? {};
    const name = typeof layerConfig.name === 'string' ? layerConfig.name : typeof entry.output.name === 'string' ? entry.output.name : `layer_${i + 1}`;
    return {
      className: entry.output.class_name,
      name,
      config: layerConfig,
      buildConfig: entry.output.build_config ?? {},
      inbound: functional ? inboundNames(entry.output.inbound_nodes) : null,
    };
  });
  if (functional) {
    layers.forEach((layer, i) => {
      const expected = i === 0 ? [] : [layers[i - 1]!.name];
      if (layer.inbound!.length !== expected.length || layer.inbound!.some((name, k) => name !== expected[k])) {
        throw new UnsupportedModelError(
          `layer ${layer.name} does not simply follow ${i === 0 ? 'the input' : layers[i - 1]!.name}: only models that are one chain of layers can be imported`,
        );
      }
    });
  }
  return { layers, config, top };
}

/** Python's class name in snake case, as Keras spells it (`MaxPooling2D` → `max_pooling2d`). */
const snakeCase = (name: string) =>
  name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();

/**
 * Where a `.keras` weights file keeps each layer, by layer name: Keras 3 keys a model's layers by
 * class, numbered in model order (`conv2d`, `conv2d_1`, `dense`, …), whatever they are named.
 */
export function kerasSavedLayerKeys(modelConfig: unknown): Map<string, string> {
  const counts = new Map<string, number>();
  const keys = new Map<string, string>();
  for (const layer of modelLayers(modelConfig).layers) {
    const base = snakeCase(layer.className);
    const seen = counts.get(base) ?? 0;
    counts.set(base, seen + 1);
    keys.set(layer.name, seen === 0 ? base : `${base}_${seen}`);
  }
  return keys;
}

/**
 * A shape without its batch dimension, from the first place a config gives one: the input
 * layer's or first layer's (Keras 2: batch_input_shape; Keras 3: batch_shape, or the layer
 * entry's build_config), else the model's (Keras 2: config.build_input_shape; Keras 3: the
 * model entry's build_config).
 */
function declaredInputShape(layers: KerasLayer[], config: Record<string, unknown>, top: Record<string, unknown>): number[] | null {
  const first = layers[0];
  const candidates: unknown[] = [];
  if (first) {
    candidates.push(first.config.batch_input_shape, first.config.batch_shape, first.buildConfig.input_shape);
    if (Array.isArray(first.config.input_shape)) candidates.push([null, ...(first.config.input_shape as unknown[])]);
  }
  const modelBuild = isRecord(top.build_config) ? top.build_config : {};
  candidates.push(config.build_input_shape, modelBuild.input_shape);
  for (const candidate of candidates) {
    if (Array.isArray(candidate) && candidate.length >= 2 && candidate.slice(1).every((d) => Number.isInteger(d) && (d as number) > 0)) {
      return candidate.slice(1) as number[];
    }
  }
  return null;
}

const sameShape = (a: number[] | null, b: readonly number[]) => a !== null && a.length === b.length && a.every((d, i) => d === b[i]);

/** A Keras size given as n or [n, n]; refused when it is not square. */
function squareSize(value: unknown, what: string, layer: string): number {
  if (Number.isInteger(value)) return value as number;
  if (Array.isArray(value) && value.length === 2 && Number.isInteger(value[0]) && value[0] === value[1]) return value[0] as number;
  throw new UnsupportedModelError(`${layer}: its ${what} ${JSON.stringify(value)} is not square; MNIST Lab's layers use n × n`);
}

function activationOf(value: unknown, layer: string): Activation {
  const name = value === undefined || value === null ? 'linear' : value;
  if (typeof name === 'string' && (activations as readonly string[]).includes(name)) return name as Activation;
  throw new UnsupportedModelError(`${layer}: activation ${JSON.stringify(name)} is not one MNIST Lab has (${activations.join(', ')})`);
}

function paddingOf(value: unknown, layer: string): 'valid' | 'same' {
  const padding = value ?? 'valid';
  if (padding === 'valid' || padding === 'same') return padding;
  throw new UnsupportedModelError(`${layer}: padding ${JSON.stringify(padding)} is not valid or same`);
}

function requireDefault(layer: KerasLayer, key: string, allowed: unknown[], why: string): void {
  const value = layer.config[key];
  if (value === undefined || value === null) return;
  if (!allowed.some((ok) => JSON.stringify(ok) === JSON.stringify(value)))
    throw new UnsupportedModelError(`${layer.name}: ${key} ${JSON.stringify(value)} ${why}`);
}

function channelsLast(layer: KerasLayer): void {
  requireDefault(layer, 'data_format', ['channels_last'], 'is not supported: MNIST Lab keeps images channels-last');
}

/** One Keras layer as a layer spec; null for layers that do nothing at inference here (InputLayer). */
function convertLayer(layer: KerasLayer): LayerSpec | null {
  const c = layer.config;
  const name = layer.name;
  switch (layer.className) {
    case 'InputLayer':
      return null;
    case 'Conv2D': {
      channelsLast(layer);
      requireDefault(layer, 'dilation_rate', [1, [1, 1]], "is not supported: MNIST Lab's convolutions are not dilated");
      requireDefault(layer, 'groups', [1], "is not supported: MNIST Lab's convolutions are not grouped");
      requireDefault(layer, 'use_bias', [true], "is not supported: MNIST Lab's convolutions have a bias");
      return {
        type: 'conv2d',
        filters: Number(c.filters),
        kernelSize: squareSize(c.kernel_size, 'kernel size', name),
        strides: squareSize(c.strides ?? 1, 'stride', name),
        padding: paddingOf(c.padding, name),
        activation: activationOf(c.activation, name),
      };
    }
    case 'MaxPooling2D':
    case 'MaxPool2D':
    case 'AveragePooling2D':
    case 'AvgPool2D': {
      channelsLast(layer);
      const poolSize = squareSize(c.pool_size ?? 2, 'pool size', name);
      const strides = c.strides === null || c.strides === undefined ? poolSize : squareSize(c.strides, 'stride', name);
      const type = layer.className.startsWith('Max') ? 'maxPooling2d' : 'averagePooling2d';
      return strides === poolSize ? { type, poolSize, padding: paddingOf(c.padding, name) } : { type, poolSize, strides, padding: paddingOf(c.padding, name) };
    }
    case 'Dropout':
      return { type: 'dropout', rate: Number(c.rate) };
    case 'Flatten':
      channelsLast(layer);
      return { type: 'flatten' };
    case 'Dense':
      requireDefault(layer, 'use_bias', [true], "is not supported: MNIST Lab's Dense layers have a bias");
      return { type: 'dense', units: Number(c.units), activation: activationOf(c.activation, name) };
    case 'BatchNormalization':
      requireDefault(layer, 'center', [true], 'is not supported');
      requireDefault(layer, 'scale', [true], 'is not supported');
      requireDefault(layer, 'epsilon', [0.001], "is not supported: MNIST Lab's BatchNormalization uses epsilon 0.001");
      return { type: 'batchNormalization' };
    case 'Activation':
      return { type: 'activation', activation: activationOf(c.activation, name) };
    case 'ReLU':
      requireDefault(layer, 'max_value', [], "is not supported: MNIST Lab's relu has no ceiling");
      requireDefault(layer, 'negative_slope', [0], "is not supported: MNIST Lab's relu has no slope below zero");
      requireDefault(layer, 'threshold', [0], 'is not supported');
      return { type: 'activation', activation: 'relu' };
    case 'Softmax':
      return { type: 'activation', activation: 'softmax' };
    default:
      throw new UnsupportedModelError(
        `${name}: MNIST Lab has no ${layer.className} layer (it has Conv2D, MaxPooling2D, AveragePooling2D, Dropout, Flatten, Dense, BatchNormalization, Activation)`,
      );
  }
}

/** Augmentation and noise layers: active only while training, so a model that reads digits does the same without them. */
const trainingOnlyLayers = new Set([
  'RandomRotation',
  'RandomTranslation',
  'RandomZoom',
  'RandomFlip',
  'RandomContrast',
  'RandomCrop',
  'RandomBrightness',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'SpatialDropout2D',
]);

/**
 * Why a layer can be left out without changing what the model reads (a sentence for the run's
 * notes), or null. MNIST Lab feeds pixels as 0–1 already, so a first Rescaling(1/255), which
 * Keras tutorials put in front of models fed raw 0–255 pixels, is that same step.
 */
function inferenceNoOp(layer: KerasLayer, first: boolean): string | null {
  if (trainingOnlyLayers.has(layer.className)) return `${layer.name} (${layer.className}) acts only in training; it was left out.`;
  // Keras' examples wrap their augmentation in a Sequential of its own inside the model.
  if (layer.className === 'Sequential' && Array.isArray(layer.config.layers)) {
    const inner = (layer.config.layers as unknown[]).map((l) => (isRecord(l) ? String(l.class_name) : '')).filter((name) => name !== 'InputLayer');
    if (inner.length > 0 && inner.every((name) => trainingOnlyLayers.has(name)))
      return `${layer.name} (${inner.join(', ')}) acts only in training; it was left out.`;
  }
  if (layer.className !== 'Rescaling') return null;
  const { scale, offset } = layer.config;
  if ((offset ?? 0) !== 0) throw new UnsupportedModelError(`${layer.name}: a Rescaling with an offset is not supported (MNIST Lab feeds pixels as 0–1)`);
  if (scale === 1) return `${layer.name} (Rescaling by 1) changes nothing; it was left out.`;
  if (first && typeof scale === 'number' && Math.abs(scale * 255 - 1) < 1e-6)
    return `${layer.name} (Rescaling by 1/255) was left out: MNIST Lab already feeds pixels as 0–1.`;
  throw new UnsupportedModelError(
    `${layer.name}: a Rescaling by ${JSON.stringify(scale)} is not supported (only a first Rescaling by 1/255, which MNIST Lab's 0–1 pixels already are)`,
  );
}

/**
 * MNIST Lab's BatchNormalization normalises over the last axis (the channels, or a Dense
 * layer's units), as Keras does by default; Keras 2 writes that axis as its index once built
 * ([3] after a convolution, [1] after a Dense), which only the input's rank can check.
 */
function checkNormalizedAxes(chain: KerasLayer[], sourceNames: (string | null)[], outputShapes: number[][]): void {
  sourceNames.forEach((name, i) => {
    const layer = chain.find((l) => l.name === name);
    if (layer?.className !== 'BatchNormalization') return;
    const raw = layer.config.axis ?? -1;
    const axis = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
    // outputShapes[i] is what the layer before it gives (index 0: the input); without the batch axis.
    const last = outputShapes[i]!.length;
    if (axis !== -1 && axis !== last)
      throw new UnsupportedModelError(
        `${layer.name}: it normalises over axis ${JSON.stringify(raw)}; MNIST Lab's BatchNormalization normalises over the last axis (${last})`,
      );
  });
}

const reshapeTarget = (layer: KerasLayer) => (Array.isArray(layer.config.target_shape) ? (layer.config.target_shape as number[]) : null);

/**
 * A softmax kept as its own layer after the last Dense, or logits with no softmax at all (a
 * model trained with from_logits=True), become the Dense 10 softmax MNIST Lab ends with; the
 * note says which, or null when the model already ends so.
 */
function endWithSoftmax(converted: LayerSpec[], sourceNames: (string | null)[]): string | null {
  const last = converted.at(-1);
  const beforeLast = converted.at(-2);
  if (last?.type === 'activation' && last.activation === 'softmax' && beforeLast?.type === 'dense' && beforeLast.activation === 'linear') {
    converted.pop();
    sourceNames.pop();
    beforeLast.activation = 'softmax';
    return 'The final softmax layer was folded into the Dense layer before it.';
  }
  if (last?.type === 'dense' && last.units === 10 && last.activation === 'linear') {
    last.activation = 'softmax';
    return 'The last Dense layer gave logits; a softmax was added so its outputs read as probabilities (the predicted digits are unchanged).';
  }
  return null;
}

/**
 * The import plan for a Keras model config: MNIST Lab's layers, each with the name of the
 * layer in the file whose weights it takes. Models that read 784 values (the seed's MLP) get
 * a Flatten in front, which reads a 28 × 28 image in the same row-major order.
 */
export function planFromKerasConfig(modelConfig: unknown): ImportPlan {
  const { layers, config, top } = modelLayers(modelConfig);
  const notes: string[] = [];
  let chain: KerasLayer[] = [];
  for (const layer of layers.filter((l) => l.className !== 'InputLayer')) {
    const leftOut = inferenceNoOp(layer, chain.length === 0);
    if (leftOut) notes.push(leftOut);
    else chain.push(layer);
  }
  const declared = declaredInputShape(layers, config, top);
  const mnistShape = [...inputShape];
  const converted: LayerSpec[] = [];
  const sourceNames: (string | null)[] = [];

  // A leading Reshape to 28 × 28 × 1 is what our input already is.
  const first = chain[0];
  if (first?.className === 'Reshape' && sameShape(reshapeTarget(first), mnistShape)) chain = chain.slice(1);
  else if (sameShape(declared, [pixelsPerImage]) && first?.className !== 'Flatten') {
    converted.push({ type: 'flatten' });
    sourceNames.push(null);
    notes.push(`The model reads ${pixelsPerImage} values; a Flatten in front gives it each 28 × 28 image in the same order.`);
  } else if (declared === null) {
    throw new UnsupportedModelError('the model config does not say what input it takes (no input layer or input shape)');
  } else if (!sameShape(declared, mnistShape) && !(sameShape(declared, [imageSide, imageSide]) && first?.className === 'Flatten')) {
    throw new UnsupportedModelError(`the model takes input of shape (${declared.join(', ')}); MNIST Lab's models read 28 × 28 × 1 images (or 784 values)`);
  }

  for (const layer of chain) {
    const spec = convertLayer(layer);
    if (!spec) continue;
    // The designer's limits (filters, units, kernel and pool sizes, dropout rate) hold for imports too.
    const checked = v.safeParse(LayerSpecSchema, spec);
    if (!checked.success) throw new UnsupportedModelError(`${layer.name}: ${describeIssues(checked.issues)}`);
    converted.push(spec);
    sourceNames.push(layer.name);
  }

  const ending = endWithSoftmax(converted, sourceNames);
  if (ending) notes.push(ending);

  const stack: LayerStack = [{ type: 'input', shape: [imageSide, imageSide, 1] }, ...converted];
  const analysis = analyzeStack(stack);
  if (!analysis.ok) throw new UnsupportedModelError(`the model cannot be built in MNIST Lab: ${analysis.problems.map(describeProblem).join('; ')}`);
  checkNormalizedAxes(
    chain,
    sourceNames,
    analysis.layers.map((info) => info.outputShape),
  );
  return { layers: stack, sourceNames, notes, analysis };
}
