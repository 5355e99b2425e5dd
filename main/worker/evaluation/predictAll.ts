import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { classCount, imageSide, pixelsPerImage } from '../../../shared/mnist';
import { normalizeImages } from '../training/batchAssembly';

/** Softmax outputs [count × 10] for the first `count` images, in batches to bound memory. */
export async function predictAll(model: tfl.LayersModel, pixels: Uint8Array, count: number, batchSize = 500): Promise<Float32Array<ArrayBuffer>> {
  const probabilities = new Float32Array(count * classCount);
  const input = new Float32Array(batchSize * pixelsPerImage);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const indices = Array.from({ length: n }, (_, i) => start + i);
    normalizeImages(pixels, indices, input);
    const output = tf.tidy(() => model.predict(tf.tensor4d(input.subarray(0, n * pixelsPerImage), [n, imageSide, imageSide, 1])) as tf.Tensor);
    probabilities.set((await output.data()) as Float32Array, start * classCount);
    output.dispose();
  }
  return probabilities;
}
