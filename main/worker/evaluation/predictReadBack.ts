import * as tf from '@tensorflow/tfjs-core';
import { imageSide, pixelsPerImage } from '../../../shared/mnist';
import type { LayerStack } from '../../../shared/layers/layerSpec';
import { loadIdxDataset, type DatasetFiles } from '../../common/idx/loadIdxDataset';
import { modelWithImportedWeights, type WeightToImport } from '../checkpoints/importedCheckpoint';
import { predictAll } from './predictAll';

/** The probabilities a model read back from a file gives the first `count` test images, then each sketch ((count + sketches) × 10). */
export async function predictReadBack(
  layers: LayerStack,
  weights: WeightToImport[],
  files: DatasetFiles,
  count: number,
  sketches: Float32Array,
): Promise<Float32Array<ArrayBuffer>> {
  const data = await loadIdxDataset(files);
  const model = modelWithImportedWeights(layers, weights);
  try {
    const test = await predictAll(model, data.test.pixels, Math.min(count, data.test.count));
    const n = sketches.length / pixelsPerImage;
    if (n === 0) return test;
    const output = tf.tidy(() => model.predict(tf.tensor4d(sketches, [n, imageSide, imageSide, 1])) as tf.Tensor);
    const read = (await output.data()) as Float32Array;
    output.dispose();
    const all = new Float32Array(test.length + read.length);
    all.set(test);
    all.set(read, test.length);
    return all;
  } finally {
    model.dispose();
  }
}
