import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LayerStack } from '../../../shared/layers/layerSpec';
import { seedSettings } from '../../../shared/layers/presets';
import { buildModel } from '../training/buildModel';
import { checkpointWriter } from './checkpointWriter';

export interface WeightToImport {
  /** Its name in the imported file, for messages. */
  name: string;
  shape: number[];
  values: Float32Array<ArrayBuffer>;
}

const shapeText = (shape: readonly (number | null)[]) => `[${shape.join(', ')}]`;

/**
 * Builds `layers` as a training run would and gives each layer its imported weights, checked
 * against the shapes the layer needs. The caller disposes of the model.
 */
export function modelWithImportedWeights(layers: LayerStack, weights: WeightToImport[]): tfl.LayersModel {
  const model = buildModel(layers, seedSettings.optimizer, 0);
  try {
    let next = 0;
    for (const layer of model.layers) {
      const needed = layer.weights;
      if (needed.length === 0) continue;
      const given = weights.slice(next, next + needed.length);
      next += needed.length;
      if (given.length < needed.length) throw new Error(`the file has too few weights: ${layer.name} needs ${needed.length} more`);
      given.forEach((weight, k) => {
        const shape = needed[k]!.shape;
        if (weight.shape.length !== shape.length || weight.shape.some((d, i) => d !== shape[i])) {
          throw new Error(`weight ${weight.name} has shape ${shapeText(weight.shape)}; the layer built from the config needs ${shapeText(shape)}`);
        }
        if (weight.values.some((value) => !Number.isFinite(value))) throw new Error(`weight ${weight.name} holds NaN or infinite values`);
      });
      const tensors = given.map((weight) => tf.tensor(weight.values, weight.shape, 'float32'));
      layer.setWeights(tensors);
      tf.dispose(tensors);
    }
    if (next !== weights.length) throw new Error(`the file has ${weights.length - next} weights more than the model uses`);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Saves an imported model as a checkpoint in `modelDir`, so it is loaded, inspected and exported
 * exactly like a trained one.
 */
export async function saveImportedCheckpoint(modelDir: string, layers: LayerStack, weights: WeightToImport[]): Promise<void> {
  const model = modelWithImportedWeights(layers, weights);
  try {
    await model.save(checkpointWriter(modelDir, 'imported'));
  } finally {
    model.dispose();
  }
}
