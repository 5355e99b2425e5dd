import { describe, expect, it } from 'vitest';
import { analyzeStack, describeProblem } from '../../shared/layers/inferShapes';
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

describe('invalid stacks are explained in sentences a learner understands, at the layer that breaks', () => {
  const conv = (kernelSize: number) => ({ type: 'conv2d', filters: 4, kernelSize, strides: 2, padding: 'valid', activation: 'relu' }) as const;

  it('needs Flatten before Dense on images', () => {
    const analysis = analyzeStack([input, softmax]);
    expect(!analysis.ok && analysis.problems).toMatchObject([
      { index: 1, message: 'Dense needs a vector, but the input produced an image of 28×28×1: add Flatten before it' },
    ]);
  });

  it('needs an image for a convolution, naming what made the vector', () => {
    const analysis = analyzeStack([input, { type: 'flatten' }, conv(3), { type: 'flatten' }, softmax]);
    expect(!analysis.ok && analysis.problems).toMatchObject([
      { index: 2, message: 'Conv2D needs an image-shaped input, but Flatten before it produced a vector of 784' },
    ]);
    // The layers before the break keep their shapes, for the designer's cards.
    expect(analysis.layers.map((l) => l.outputShape)).toEqual([[28, 28, 1], [784]]);
  });

  it('refuses a window that no longer fits', () => {
    const analysis = analyzeStack([input, conv(7), conv(7), conv(7), { type: 'flatten' }, softmax]);
    expect(!analysis.ok && analysis.problems[0]).toMatchObject({
      index: 3,
      message: "Conv2D's 7×7 window does not fit the 3×3 image Conv2D before it produced: use 'same' padding or a smaller window",
    });
  });

  it('needs 10 outputs with softmax at the end', () => {
    const flat = [input, { type: 'flatten' }] as LayerStack;
    expect(analyzeStack([...flat, { type: 'dense', units: 64, activation: 'relu' }])).toMatchObject({
      ok: false,
      problems: [{ index: 2, message: 'the last layer must output 10 values for 10 digits: end with Dense 10, softmax' }],
    });
    expect(analyzeStack([...flat, { type: 'dense', units: 10, activation: 'relu' }])).toMatchObject({
      ok: false,
      problems: [{ index: 2, message: 'the last layer must turn its 10 values into probabilities: give it the softmax activation' }],
    });
    expect(analyzeStack([input])).toMatchObject({
      ok: false,
      problems: [{ index: 0, message: expect.stringMatching(/^the last layer must output 10 values/) }],
    });
  });

  it('keeps softmax to the last layer', () => {
    const analysis = analyzeStack([input, { type: 'flatten' }, { type: 'dense', units: 64, activation: 'softmax' }, softmax]);
    expect(!analysis.ok && analysis.problems).toMatchObject([
      { index: 2, message: 'softmax belongs on the last layer: use relu (or another activation) here' },
    ]);
  });

  it('needs the input first, and only first', () => {
    expect(analyzeStack([{ type: 'flatten' }, softmax])).toMatchObject({
      ok: false,
      problems: [{ index: 0, message: 'the first layer must be the 28×28×1 input' }],
    });
    expect(analyzeStack([input, input, { type: 'flatten' }, softmax])).toMatchObject({
      ok: false,
      problems: [{ index: 1, message: 'the input may only come first' }],
    });
  });

  it('names the layer when the message leaves the designer', () => {
    const analysis = analyzeStack([input, softmax]);
    expect(!analysis.ok && describeProblem(analysis.problems[0]!)).toBe(
      'layer 2: Dense needs a vector, but the input produced an image of 28×28×1: add Flatten before it',
    );
  });
});
