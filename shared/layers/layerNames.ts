import type { LayerType, TensorShape } from './layerSpec';

/** Each layer type as Keras names it, for cards, messages and exported code. */
export const layerTypeNames: Record<LayerType, string> = {
  input: 'Input',
  conv2d: 'Conv2D',
  maxPooling2d: 'MaxPooling2D',
  averagePooling2d: 'AveragePooling2D',
  dropout: 'Dropout',
  flatten: 'Flatten',
  dense: 'Dense',
  batchNormalization: 'BatchNormalization',
  activation: 'Activation',
};

/** A shape as a card shows it: `26×26×32` or `784`. */
export function formatShape(shape: TensorShape): string {
  return shape.join('×');
}
