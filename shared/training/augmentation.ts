import { imageSide as side, pixelsPerImage } from '../mnist';
import type { Augmentation } from './trainingSettings';

/**
 * Moves each image by a random shift and rotation (bilinear sampling, zeros outside), as Keras'
 * ImageDataGenerator(width_shift_range, height_shift_range, rotation_range) does. The CPU trainers
 * run it on every training batch, and the designer's augmentation preview on the digits it shows,
 * so what a learner sees is what the network is trained on.
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
