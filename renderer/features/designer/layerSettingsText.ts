import type { LayerSpec } from '../../../shared/layers/layerSpec';
import type { MessageKey, MessageParams } from '../../lib/i18n/messages';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** A card's one-line account of a layer's key settings, e.g. "32 filters 3×3, relu". */
export function layerSettingsText(layer: LayerSpec, t: Translate): string {
  const stride = (strides: number | undefined, unlessEqualTo: number) =>
    strides !== undefined && strides !== unlessEqualTo ? `, ${t('card.stride', { strides })}` : '';
  const same = (padding: 'valid' | 'same') => (padding === 'same' ? ', same' : '');
  switch (layer.type) {
    case 'input':
      return t('card.input');
    case 'conv2d':
      return `${t('card.filters', { count: layer.filters, size: layer.kernelSize })}${stride(layer.strides, 1)}${same(layer.padding)}, ${layer.activation}`;
    case 'maxPooling2d':
    case 'averagePooling2d':
      return `${layer.poolSize}×${layer.poolSize}${stride(layer.strides, layer.poolSize)}${same(layer.padding)}`;
    case 'dropout':
      return t('card.rate', { rate: layer.rate });
    case 'dense':
      return `${t('card.units', { count: layer.units })}, ${layer.activation}`;
    case 'activation':
      return layer.activation;
    case 'flatten':
    case 'batchNormalization':
      return '';
  }
}
