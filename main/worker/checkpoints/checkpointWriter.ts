import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { writeJsonAtomic } from '../../common/atomicFile';

function concatWeightData(data: tf.io.WeightData): Uint8Array {
  const buffers = Array.isArray(data) ? data : [data];
  const total = buffers.reduce((sum, b) => sum + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}

/**
 * A tfjs IOHandler that writes the layers format (`model.json` + one weights file) into a folder
 * so that a crash at any moment leaves a loadable checkpoint: the new weights file gets a new
 * name, then model.json is swapped atomically to point at it, then old weights files go.
 */
export function checkpointWriter(modelDir: string, tag: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (!artifacts.weightData || !artifacts.weightSpecs) throw new Error('checkpoint has no weights');
      const weightsName = `weights-${tag}.bin`;
      const weights = concatWeightData(artifacts.weightData);
      await writeFile(join(modelDir, weightsName), weights);
      await writeJsonAtomic(join(modelDir, 'model.json'), {
        format: 'layers-model',
        generatedBy: 'MNIST Lab',
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs }],
      });
      for (const name of await readdir(modelDir)) {
        if (name.startsWith('weights-') && name !== weightsName) await rm(join(modelDir, name), { force: true });
      }
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    },
  };
}
