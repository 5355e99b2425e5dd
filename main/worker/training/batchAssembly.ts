import * as tf from '@tensorflow/tfjs-core';
import { classCount, imageSide as side, pixelsPerImage } from '../../../shared/mnist';
import { augmentInPlace } from '../../../shared/training/augmentation';
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
 * A training batch as the CPU trainers see it: images `indices` normalised into `x`, moved by
 * `augmentation` (drawing from `random`) where the design trains with it, and their one-hot labels in `y`.
 */
export function assembleTrainingBatch(
  pixels: Uint8Array,
  labels: Uint8Array,
  indices: ArrayLike<number>,
  augmentation: Augmentation | null,
  random: () => number,
  x: Float32Array,
  y: Float32Array,
): void {
  normalizeImages(pixels, indices, x);
  if (augmentation) augmentInPlace(x, indices.length, augmentation, random);
  oneHot(labels, indices, y);
}
