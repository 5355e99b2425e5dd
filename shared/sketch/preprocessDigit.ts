import { imageSide, pixelsPerImage } from '../mnist';
import { resampleArea, type Box } from './resampleArea';

/** MNIST's recipe: the digit's longer side is scaled to 20 px, centred by its centre of mass in a 28 × 28 field. */
export const digitBox = 20;
/**
 * Where MNIST puts a digit's centre of mass, with pixel centres at i + 0.5: on pixel 14 (its
 * digits' centres of mass sit at index 14.0–14.5 on average), not on the field's exact middle.
 */
export const mnistCentre = 14.5;
/** Ink below this (of 1) is background when finding the digit's extent. */
const inkThreshold = 0.1;

/** The smallest box holding every pixel with ink, or null for an empty image. */
export function inkBounds(ink: Float32Array, width: number, height: number): Box | null {
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! <= inkThreshold) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return right < 0 ? null : { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

/** The centre of mass of a grey image, with pixel centres at i + 0.5. */
export function centreOfMass(values: Float32Array, width: number, height: number): { x: number; y: number } {
  let sum = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x]!;
      sum += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return sum === 0 ? { x: width / 2, y: height / 2 } : { x: sx / sum, y: sy / sum };
}

/**
 * Turns a drawing or a photo's ink (0–1, white-on-black convention, any size) into what the
 * model takes, the way MNIST's digits were made: crop to the ink, scale the longer side to
 * 20 px keeping the aspect ratio with area anti-aliasing, and place it in 28 × 28 so its centre
 * of mass is where MNIST's are. Returns 784 values 0–1, or null when there is no ink.
 */
export function preprocessDigit(ink: Float32Array, width: number, height: number): Float32Array | null {
  const box = inkBounds(ink, width, height);
  if (!box) return null;
  const scale = digitBox / Math.max(box.width, box.height);
  const tw = Math.max(1, Math.round(box.width * scale));
  const th = Math.max(1, Math.round(box.height * scale));
  const digit = resampleArea(ink, width, box, tw, th);
  const mass = centreOfMass(digit, tw, th);
  const left = Math.max(0, Math.min(imageSide - tw, Math.round(mnistCentre - mass.x)));
  const top = Math.max(0, Math.min(imageSide - th, Math.round(mnistCentre - mass.y)));
  const out = new Float32Array(pixelsPerImage);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) out[(top + y) * imageSide + left + x] = Math.min(1, Math.max(0, digit[y * tw + x]!));
  }
  return out;
}
