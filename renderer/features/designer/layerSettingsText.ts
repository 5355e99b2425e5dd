import type { LayerSpec } from '../../../shared/layers/layerSpec';

/** A card's one-line account of a layer's key settings, e.g. "32 filters 3×3, relu". */
export function layerSettingsText(layer: LayerSpec): string {
  switch (layer.type) {
    case 'input':
      return '28×28 grey image';
    case 'conv2d':
      return `${layer.filters} filters ${layer.kernelSize}×${layer.kernelSize}${layer.strides > 1 ? `, stride ${layer.strides}` : ''}${layer.padding === 'same' ? ', same' : ''}, ${layer.activation}`;
    case 'maxPooling2d':
    case 'averagePooling2d':
      return `${layer.poolSize}×${layer.poolSize}${layer.strides !== undefined && layer.strides !== layer.poolSize ? `, stride ${layer.strides}` : ''}${layer.padding === 'same' ? ', same' : ''}`;
    case 'dropout':
      return `rate ${layer.rate}`;
    case 'dense':
      return `${layer.units} units, ${layer.activation}`;
    case 'activation':
      return layer.activation;
    case 'flatten':
    case 'batchNormalization':
      return '';
  }
}
