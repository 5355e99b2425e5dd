import * as tf from '@tensorflow/tfjs-core';
import { classCount, imageSide as side, pixelsPerImage } from '../../../shared/mnist';
import type { Augmentation } from '../../../shared/training/trainingSettings';

/**
 * Writes images `indices` (from raw 0–255 bytes) into `out` as float32 / 255, the seed's
 * normalisation, laid out [n, 28, 28, 1].
 */
export function normalizeImages(pixels: Uint8Array, indices: ArrayLike<number>, out: Float32Array): void {
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i]! * pixelsPerImage;
    const dst = i * pixelsPerImage;
    for (let p = 0; p < pixelsPerImage; p++) out[dst + p] = pixels[src + p]! / 255;
  }
}

/** Tensors of the first `count` images [count, 28, 28, 1] and one-hot labels [count, 10] of a batch buffer. */
export function batchTensors(images: Float32Array, oneHotLabels: Float32Array, count: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return {
    xs: tf.tensor4d(images.subarray(0, count * pixelsPerImage), [count, side, side, 1]),
    ys: tf.tensor2d(oneHotLabels.subarray(0, count * classCount), [count, classCount]),
  };
}

/** One-hot rows [n, 10], as Keras' to_categorical(y, 10). */
export function oneHot(labels: Uint8Array, indices: ArrayLike<number>, out: Float32Array): void {
  out.fill(0);
  for (let i = 0; i < indices.length; i++) out[i * classCount + labels[indices[i]!]!] = 1;
}

/**
 * Moves each image by a random shift and rotation (bilinear sampling, zeros outside), as Keras'
 * ImageDataGenerator(width_shift_range, height_shift_range, rotation_range) does.
 */
export function augmentInPlace(images: Float32Array, count: number, augmentation: Augmentation, random: () => number): void {
  const source = new Float32Array(pixelsPerImage);
  const centre = (side - 1) / 2;
  for (let i = 0; i < count; i++) {
    const image = images.subarray(i * pixelsPerImage, (i + 1) * pixelsPerImage);
    source.set(image);
    const angle = ((random() * 2 - 1) * augmentation.maxRotationDegrees * Math.PI) / 180;
    const dx = Math.round((random() * 2 - 1) * augmentation.maxShift);
    const dy = Math.round((random() * 2 - 1) * augmentation.maxShift);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        // Inverse map: where in the source does this output pixel come from?
        const ux = x - dx - centre;
        const uy = y - dy - centre;
        const sx = cos * ux + sin * uy + centre;
        const sy = -sin * ux + cos * uy + centre;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        const at = (xx: number, yy: number) => (xx >= 0 && xx < side && yy >= 0 && yy < side ? source[yy * side + xx]! : 0);
        image[y * side + x] = at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy;
      }
    }
  }
}
