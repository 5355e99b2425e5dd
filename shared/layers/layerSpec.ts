import * as v from 'valibot';
import { imageSide } from '../mnist';

/** Activations offered in the designer; names match tfjs and Keras. */
export const activations = ['linear', 'relu', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax'] as const;
export type Activation = (typeof activations)[number];

const ActivationSchema = v.picklist(activations);
const PaddingSchema = v.picklist(['valid', 'same']);
const positiveInt = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(max));

/** MNIST-shaped input: 28×28 grey images with one channel. */
export const InputLayerSchema = v.strictObject({
  type: v.literal('input'),
  shape: v.tuple([v.literal(imageSide), v.literal(imageSide), v.literal(1)]),
});

export const Conv2DLayerSchema = v.strictObject({
  type: v.literal('conv2d'),
  filters: positiveInt(1024),
  kernelSize: positiveInt(7),
  strides: positiveInt(2),
  padding: PaddingSchema,
  activation: ActivationSchema,
});

const poolFields = {
  poolSize: positiveInt(4),
  /** Defaults to poolSize, as in Keras. */
  strides: v.optional(positiveInt(4)),
  padding: PaddingSchema,
};

export const MaxPooling2DLayerSchema = v.strictObject({ type: v.literal('maxPooling2d'), ...poolFields });
export const AveragePooling2DLayerSchema = v.strictObject({ type: v.literal('averagePooling2d'), ...poolFields });

export const DropoutLayerSchema = v.strictObject({
  type: v.literal('dropout'),
  rate: v.pipe(v.number(), v.minValue(0), v.maxValue(0.95)),
});

export const FlattenLayerSchema = v.strictObject({ type: v.literal('flatten') });

export const DenseLayerSchema = v.strictObject({
  type: v.literal('dense'),
  units: positiveInt(8192),
  activation: ActivationSchema,
});

export const BatchNormalizationLayerSchema = v.strictObject({ type: v.literal('batchNormalization') });

export const ActivationLayerSchema = v.strictObject({
  type: v.literal('activation'),
  activation: ActivationSchema,
});

export const LayerSpecSchema = v.variant('type', [
  InputLayerSchema,
  Conv2DLayerSchema,
  MaxPooling2DLayerSchema,
  AveragePooling2DLayerSchema,
  DropoutLayerSchema,
  FlattenLayerSchema,
  DenseLayerSchema,
  BatchNormalizationLayerSchema,
  ActivationLayerSchema,
]);

export type LayerSpec = v.InferOutput<typeof LayerSpecSchema>;
export type LayerType = LayerSpec['type'];

/** A model is a stack of layers, input first, a 10-way softmax Dense last. */
export const LayerStackSchema = v.pipe(v.array(LayerSpecSchema), v.minLength(2), v.maxLength(64));
export type LayerStack = LayerSpec[];

/** [height, width, channels] for images and feature maps, [units] once flattened. */
export type TensorShape = number[];
