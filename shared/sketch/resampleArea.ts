/** A rectangle of a w-wide grey image: its left, top, width and height in pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How much of source pixel [i, i+1) falls inside target pixel [start, end) in source units. */
const overlap = (i: number, start: number, end: number) => Math.max(0, Math.min(i + 1, end) - Math.max(i, start));

/**
 * Resamples a box of a grey image to `tw` × `th` by area averaging: each target pixel is the
 * mean of the source area it covers, weighted by exact overlap. This is the anti-aliasing MNIST's
 * own digits got when they were scaled into their 20 × 20 box.
 */
export function resampleArea(source: Float32Array, width: number, box: Box, tw: number, th: number): Float32Array {
  const out = new Float32Array(tw * th);
  const sx = box.width / tw;
  const sy = box.height / th;
  for (let ty = 0; ty < th; ty++) {
    const y0 = box.y + ty * sy;
    const y1 = y0 + sy;
    for (let tx = 0; tx < tw; tx++) {
      const x0 = box.x + tx * sx;
      const x1 = x0 + sx;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = overlap(y, y0, y1);
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) sum += wy * overlap(x, x0, x1) * (source[y * width + x] ?? 0);
      }
      out[ty * tw + tx] = sum / (sx * sy);
    }
  }
  return out;
}
