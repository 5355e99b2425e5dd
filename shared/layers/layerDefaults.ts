import type { LayerSpec, LayerType } from './layerSpec';

/** The layer types the designer's palette offers, in its order (the input is always there). */
export const paletteTypes = [
  'conv2d',
  'maxPooling2d',
  'averagePooling2d',
  'dropout',
  'flatten',
  'dense',
  'batchNormalization',
  'activation',
] as const satisfies readonly LayerType[];
export type PaletteType = (typeof paletteTypes)[number];

/** A new layer of each type, as the seed would write it. */
export function defaultLayer(type: PaletteType): LayerSpec {
  switch (type) {
    case 'conv2d':
      return { type, filters: 32, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' };
    case 'maxPooling2d':
    case 'averagePooling2d':
      return { type, poolSize: 2, padding: 'valid' };
    case 'dropout':
      return { type, rate: 0.25 };
    case 'flatten':
    case 'batchNormalization':
      return { type };
    case 'dense':
      return { type, units: 128, activation: 'relu' };
    case 'activation':
      return { type, activation: 'relu' };
  }
}

/** The ranges the layer editor offers (within what the API accepts). */
export const editorRanges = {
  filters: { min: 1, max: 512, step: 1 },
  kernelSize: { min: 1, max: 7, step: 1 },
  convStrides: { min: 1, max: 2, step: 1 },
  poolSize: { min: 1, max: 4, step: 1 },
  poolStrides: { min: 1, max: 4, step: 1 },
  rate: { min: 0, max: 0.9, step: 0.05 },
  units: { min: 1, max: 4096, step: 1 },
} as const;
