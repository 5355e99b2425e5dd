import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readCheckpoint } from '../../common/checkpointFiles';

/** Loads the checkpoint checkpointWriter wrote into `modelDir`, after checking every file of it. */
export async function loadCheckpoint(modelDir: string): Promise<tfl.LayersModel> {
  const { modelJson, weightData } = await readCheckpoint(modelDir);
  const handler: tf.io.IOHandler = {
    load: async () => ({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[],
      weightData,
    }),
  };
  return tfl.loadLayersModel(handler);
}
