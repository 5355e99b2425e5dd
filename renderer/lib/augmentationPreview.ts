import { pixelsPerImage } from '../../shared/mnist';
import { augmentInPlace } from '../../shared/training/augmentation';
import { seededRandom } from '../../shared/training/seededRandom';
import type { Augmentation } from '../../shared/training/trainingSettings';

/**
 * `count` digits (bytes 0–255, 784 each) as the trainer sees them: pixels / 255, then moved by the
 * trainer's own augmentInPlace, drawing from seededRandom(seed) as a training run draws from its seed.
 */
export function augmentedDigits(pixels: Uint8Array, count: number, augmentation: Augmentation, seed: number): Float32Array {
  const images = Float32Array.from(pixels.subarray(0, count * pixelsPerImage), (p) => p / 255);
  augmentInPlace(images, count, augmentation, seededRandom(seed));
  return images;
}
