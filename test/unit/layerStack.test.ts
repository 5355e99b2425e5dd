import { describe, expect, it } from 'vitest';
import { analyzeStack } from '../../shared/layers/inferShapes';
import type { LayerStack } from '../../shared/layers/layerSpec';
import { findPreset, presets } from '../../shared/layers/presets';

const input = { type: 'input', shape: [28, 28, 1] } as LayerStack[number];
const softmax = { type: 'dense', units: 10, activation: 'softmax' } as LayerStack[number];

describe('shape and parameter inference', () => {
  it('counts the seed baseline as Keras does: 407,050 parameters', () => {
    const analysis = analyzeStack(findPreset('seed-mlp')!.layers);
    expect(analysis.ok && analysis.totalParams).toBe(407_050);
  });

  it('counts the seed CNN as Keras does: 1,199,882 parameters, 9,216 after flatten', () => {
    const analysis = analyzeStack(findPreset('seed-cnn')!.layers);
    if (!analysis.ok) throw new Error('seed-cnn should be valid');
    expect(analysis.totalParams).toBe(1_199_882);
    expect(analysis.layers.map((l) => l.outputShape)).toEqual([
      [28, 28, 1],
      [26, 26, 32],
      [24, 24, 64],
      [12, 12, 64],
      [12, 12, 64],
      [9216],
      [128],
      [128],
      [10],
    ]);
  });

  it('counts BatchNormalization as 4 parameters per channel, 2 trainable', () => {
    const analysis = analyzeStack(findPreset('deep-cnn')!.layers);
    if (!analysis.ok) throw new Error('deep-cnn should be valid');
    expect(analysis.totalParams - analysis.trainableParams).toBe(2 * (32 + 32 + 64 + 64));
  });

  it('handles same padding and strides', () => {
    const analysis = analyzeStack([
      input,
      { type: 'conv2d', filters: 8, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu' },
      { type: 'averagePooling2d', poolSize: 3, strides: 2, padding: 'valid' },
      { type: 'flatten' },
      softmax,
    ]);
    expect(analysis.layers.map((l) => l.outputShape)).toEqual([[28, 28, 1], [14, 14, 8], [6, 6, 8], [288], [10]]);
  });

  it('every preset is a valid stack', () => {
    for (const preset of presets) expect(analyzeStack(preset.layers).ok).toBe(true);
  });
});

describe('invalid stacks are explained', () => {
  it('needs Flatten before Dense on images', () => {
    const analysis = analyzeStack([input, softmax]);
    expect(analysis.ok).toBe(false);
    expect(!analysis.ok && analysis.problems[0]).toEqual({ index: 1, message: 'layer 2 (dense) needs a flat input but gets [28, 28, 1]: add Flatten before it' });
  });

  it('refuses a window that no longer fits', () => {
    const conv = { type: 'conv2d', filters: 4, kernelSize: 7, strides: 2, padding: 'valid', activation: 'relu' } as const;
    const analysis = analyzeStack([input, conv, conv, conv, { type: 'flatten' }, softmax]);
    expect(!analysis.ok && analysis.problems[0]!.message).toBe("layer 4 (conv2d) a 7×7 window does not fit a 3×3 input with 'valid' padding");
  });

  it('needs a 10-way softmax at the end', () => {
    const analysis = analyzeStack([input, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'relu' }]);
    expect(!analysis.ok && analysis.problems[0]!.message).toMatch(/last layer must be Dense with 10 units and softmax/);
  });

  it('needs the input first', () => {
    expect(analyzeStack([{ type: 'flatten' }, softmax]).ok).toBe(false);
  });
});
