import type { LayerSpec } from './layerSpec';

/** A value of a serialised config: JSON. */
export type ConfigValue = number | string | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

/** A layer as tfjs-layers serialises it: its class and its constructor's arguments. */
export interface TfjsLayerConfig {
  className: 'Conv2D' | 'MaxPooling2D' | 'AveragePooling2D' | 'Dropout' | 'Flatten' | 'Dense' | 'BatchNormalization' | 'Activation';
  config: { [key: string]: ConfigValue };
}

/**
 * The tfjs-layers layer a spec entry stands for, as data, so that the trainer (main/worker) and the
 * designer's previews (a Web Worker of the renderer) build the same layer with the same seeded
 * initialisation from one description: glorot-uniform kernels seeded with `seed`, zero biases.
 */
export function tfjsLayerConfig(spec: Exclude<LayerSpec, { type: 'input' }>, seed: number, inputShape?: readonly number[]): TfjsLayerConfig {
  const shape: { [key: string]: ConfigValue } = inputShape ? { inputShape: [...inputShape] } : {};
  const kernelInitializer = { className: 'GlorotUniform', config: { seed } };
  switch (spec.type) {
    case 'conv2d':
      return {
        className: 'Conv2D',
        config: {
          ...shape,
          filters: spec.filters,
          kernelSize: spec.kernelSize,
          strides: spec.strides,
          padding: spec.padding,
          activation: spec.activation,
          kernelInitializer,
        },
      };
    case 'maxPooling2d':
      return { className: 'MaxPooling2D', config: { ...shape, poolSize: spec.poolSize, strides: spec.strides ?? spec.poolSize, padding: spec.padding } };
    case 'averagePooling2d':
      return { className: 'AveragePooling2D', config: { ...shape, poolSize: spec.poolSize, strides: spec.strides ?? spec.poolSize, padding: spec.padding } };
    case 'dropout':
      return { className: 'Dropout', config: { ...shape, rate: spec.rate, seed } };
    case 'flatten':
      return { className: 'Flatten', config: shape };
    case 'dense':
      return { className: 'Dense', config: { ...shape, units: spec.units, activation: spec.activation, kernelInitializer } };
    case 'batchNormalization':
      return { className: 'BatchNormalization', config: shape };
    case 'activation':
      return { className: 'Activation', config: { ...shape, activation: spec.activation } };
  }
}
