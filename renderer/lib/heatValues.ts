/** Channel `k` of channel-last values of shape [h, w, c], as h × w values. */
export function channelOf(values: Float32Array, shape: readonly [number, number, number], k: number): Float32Array {
  const [h, w, c] = shape;
  const out = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) out[i] = values[i * c + k]!;
  return out;
}

/**
 * Values as grey levels 0–255 for a picture: scaled so the largest magnitude is white, with
 * `signed` mapping 0 to mid-grey (kernels have both signs), else |value| (saliency, activations).
 */
export function toGrey(values: Float32Array, signed = false): Uint8ClampedArray {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const scale = max === 0 ? 0 : 1 / max;
  return Uint8ClampedArray.from(values, (v) => (signed ? 127.5 + 127.5 * v * scale : 255 * Math.abs(v) * scale));
}
