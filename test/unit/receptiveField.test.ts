import { describe, expect, it } from 'vitest';
import { analyzeStack } from '../../shared/layers/inferShapes';
import type { LayerStack } from '../../shared/layers/layerSpec';
import { findPreset } from '../../shared/layers/presets';
import { receptiveField } from '../../shared/layers/receptiveField';

const layersOf = (stack: LayerStack) => {
  const analysis = analyzeStack(stack);
  if (!analysis.ok) throw new Error('the stack should be valid');
  return analysis.layers;
};

describe('a feature-map pixel outlines the part of the digit it sees', () => {
  const seedCnn = layersOf(findPreset('seed-cnn')!.layers);

  it('grows by kernel − 1 a convolution and doubles through 2×2 pooling (the seed CNN)', () => {
    expect(receptiveField(seedCnn, 1, 0, 0)).toEqual({ top: 0, bottom: 2, left: 0, right: 2 });
    expect(receptiveField(seedCnn, 2, 5, 7)).toEqual({ top: 5, bottom: 9, left: 7, right: 11 });
    expect(receptiveField(seedCnn, 3, 11, 11)).toEqual({ top: 22, bottom: 27, left: 22, right: 27 });
    // Dropout keeps the map's layout; Flatten and Dense see everything.
    expect(receptiveField(seedCnn, 4, 0, 1)).toEqual({ top: 0, bottom: 5, left: 2, right: 7 });
    expect(receptiveField(seedCnn, 6, 0, 0)).toEqual({ top: 0, bottom: 27, left: 0, right: 27 });
  });

  it("follows 'same' padding and strides, clipped to the image", () => {
    const stack: LayerStack = [
      { type: 'input', shape: [28, 28, 1] },
      { type: 'conv2d', filters: 4, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ];
    const layers = layersOf(stack);
    // 28 → 14 with stride 2: 3 rows of padding in all, 1 before.
    expect(receptiveField(layers, 1, 0, 0)).toEqual({ top: 0, bottom: 3, left: 0, right: 3 });
    expect(receptiveField(layers, 1, 13, 6)).toEqual({ top: 25, bottom: 27, left: 11, right: 15 });
  });
});
