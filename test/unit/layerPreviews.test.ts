import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { LayerPreviews, type LayerWeights } from '../../renderer/api/model/layerPreviews';
import { convolutionStep } from '../../renderer/lib/convolutionSteps';
import { buildModel } from '../../main/worker/training/buildModel';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { findPreset } from '../../shared/layers/presets';
import type { LayerStack } from '../../shared/layers/layerSpec';

const preset = findPreset('seed-cnn')!;
const seed = preset.settings.seed;
let digit: Float32Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const { test } = await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()));
  digit = Float32Array.from(test.pixels.subarray(0, 784), (p) => p / 255);
});

/** Each layer's output of a built model for the digit, in stack order from layer 1. */
function modelOutputs(model: tfl.LayersModel): Float32Array[] {
  const probe = tfl.model({ inputs: model.inputs, outputs: model.layers.map((layer) => layer.output as tfl.SymbolicTensor) });
  const outputs = probe.predict(tf.tensor4d(digit, [1, 28, 28, 1])) as tf.Tensor[];
  return outputs.map((t) => t.dataSync() as Float32Array);
}

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe("the designer's layer previews are the model training builds", () => {
  it('with fresh weights, every layer of the seed CNN outputs what the trainer’s model outputs for the digit (the same seeded initialisation)', async () => {
    const previews = new LayerPreviews();
    const { outputs, recomputedFrom } = await previews.run(preset.layers, seed, digit, null, 'fresh');
    expect(recomputedFrom).toBe(1);
    const expected = modelOutputs(buildModel(preset.layers, preset.settings.optimizer, seed));
    expect(outputs.map((o) => o.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(outputs.map((o) => o.shape)).toEqual([[26, 26, 32], [24, 24, 64], [12, 12, 64], [12, 12, 64], [9216], [128], [128], [10]]);
    outputs.forEach((output, i) => expect(maxDifference(output.values, expected[i]!)).toBeLessThan(1e-5));
    expect(outputs.at(-1)!.values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    previews.dispose();
  });

  it('recomputes from the edited layer on, and nothing for the same design again', async () => {
    const previews = new LayerPreviews();
    const first = await previews.run(preset.layers, seed, digit, null, 'fresh');
    expect((await previews.run(preset.layers, seed, digit, null, 'fresh')).recomputedFrom).toBe(preset.layers.length);
    const fewerFilters: LayerStack = preset.layers.map((layer, i) => (i === 1 && layer.type === 'conv2d' ? { ...layer, filters: 16 } : layer));
    const edited = await previews.run(fewerFilters, seed, digit, null, 'fresh');
    expect(edited.recomputedFrom).toBe(1);
    expect(edited.outputs[0]!.shape).toEqual([26, 26, 16]);
    const otherDropout: LayerStack = preset.layers.map((layer) => (layer.type === 'dropout' && layer.rate === 0.25 ? { ...layer, rate: 0.3 } : layer));
    await previews.run(preset.layers, seed, digit, null, 'fresh');
    const dropoutEdit = await previews.run(otherDropout, seed, digit, null, 'fresh');
    expect(dropoutEdit.recomputedFrom).toBe(4);
    // Dropout does nothing when predicting: the outputs after it are the first run's.
    expect(maxDifference(dropoutEdit.outputs.at(-1)!.values, first.outputs.at(-1)!.values)).toBe(0);
    previews.dispose();
  });

  it("with a run's weights, outputs what that run's model outputs, and its convolution steps equal the feature map", async () => {
    const trained = buildModel(preset.layers, preset.settings.optimizer, 1234);
    const weights: LayerWeights = new Map();
    trained.layers.forEach((layer, i) => {
      const values = layer.getWeights().map((w) => w.dataSync() as Float32Array);
      if (values.length > 0) weights.set(i + 1, values);
    });
    const previews = new LayerPreviews();
    const fresh = await previews.run(preset.layers, seed, digit, null, 'fresh');
    const { outputs } = await previews.run(preset.layers, seed, digit, weights, 'run-1');
    const expected = modelOutputs(trained);
    outputs.forEach((output, i) => expect(maxDifference(output.values, expected[i]!)).toBeLessThan(1e-5));
    expect(maxDifference(outputs.at(-1)!.values, fresh.outputs.at(-1)!.values)).toBeGreaterThan(1e-3);
    // Filter 5 of the first convolution, stepped through the digit, is channel 5 of its feature map.
    const found = (await previews.kernelOf(1, 5, 0))!;
    const map = outputs[0]!;
    for (let r = 0; r < 26; r += 5)
      for (let c = 0; c < 26; c += 5) {
        const step = convolutionStep(
          { values: digit, height: 28, width: 28 },
          found.kernel,
          found.bias,
          { kernel: 3, stride: 1, padding: 'valid' },
          true,
          r,
          c,
        );
        expect(Math.abs(step.output - map.values[(r * 26 + c) * 32 + 5]!)).toBeLessThan(1e-5);
      }
    previews.dispose();
  });

  it('refuses a design the designer refuses, with its reason', async () => {
    const broken: LayerStack = [
      { type: 'input', shape: [28, 28, 1] },
      { type: 'flatten' },
      { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
    ];
    await expect(new LayerPreviews().run(broken, seed, digit, null, 'fresh')).rejects.toThrow(/image-shaped input/);
  });
});
