import { resampleArea } from './resampleArea';

/** The longest side a picture is reduced to before its ink is found: plenty for a digit, quick for a photo. */
const workingSide = 280;

function luminance(rgba: Uint8ClampedArray | Uint8Array, i: number): number {
  const alpha = rgba[i * 4 + 3]! / 255;
  const grey = (0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!) / 255;
  return alpha * grey + (1 - alpha); // transparent counts as white paper
}

/** The median of the pixels on the picture's border: the paper's colour, whatever the ink's. */
function borderMedian(values: Float32Array, width: number, height: number): number {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(values[x]!, values[(height - 1) * width + x]!);
  for (let y = 0; y < height; y++) border.push(values[y * width]!, values[y * width + width - 1]!);
  border.sort((a, b) => a - b);
  return border[Math.floor(border.length / 2)] ?? 0;
}

/** One pass of a separable window filter of radius r, along rows or columns. */
function windowPass(
  input: Float32Array,
  width: number,
  height: number,
  r: number,
  horizontal: boolean,
  reduce: (values: Float32Array, from: number, to: number, step: number) => number,
): Float32Array {
  const out = new Float32Array(input.length);
  const lines = horizontal ? height : width;
  const length = horizontal ? width : height;
  const step = horizontal ? 1 : width;
  for (let a = 0; a < lines; a++) {
    const base = horizontal ? a * width : a;
    for (let b = 0; b < length; b++) out[base + b * step] = reduce(input, base + Math.max(0, b - r) * step, base + Math.min(length - 1, b + r) * step, step);
  }
  return out;
}

const minimum = (values: Float32Array, from: number, to: number, step: number) => {
  let m = Infinity;
  for (let i = from; i <= to; i += step) m = Math.min(m, values[i]!);
  return m;
};
const mean = (values: Float32Array, from: number, to: number, step: number) => {
  let sum = 0;
  let n = 0;
  for (let i = from; i <= to; i += step, n++) sum += values[i]!;
  return sum / n;
};

/**
 * The paper under the ink: the local minimum over a window wider than any stroke (the strokes
 * vanish from it), smoothed. Uneven light survives it; the digit does not.
 */
function paperEstimate(values: Float32Array, width: number, height: number, r: number): Float32Array {
  const lowest = windowPass(windowPass(values, width, height, r, true, minimum), width, height, r, false, minimum);
  return windowPass(windowPass(lowest, width, height, r, true, mean), width, height, r, false, mean);
}

/**
 * A picture of a digit (RGBA, any size) as ink 0–1 on black, as the sketchpad draws: dark ink on
 * light paper is inverted, and a photo's uneven lighting is taken out by subtracting the local
 * background before the strongest strokes are scaled to full ink.
 */
export function inkFromImage(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): { ink: Float32Array; width: number; height: number } {
  let grey: Float32Array = Float32Array.from({ length: width * height }, (_, i) => luminance(rgba, i));
  const scale = Math.min(1, workingSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  if (scale < 1) grey = resampleArea(grey, width, { x: 0, y: 0, width, height }, w, h);
  const paperIsLight = borderMedian(grey, w, h) > 0.5;
  const raw = paperIsLight ? grey.map((v) => 1 - v) : grey;
  const background = paperEstimate(raw, w, h, Math.max(2, Math.round(Math.max(w, h) / 12)));
  const lifted = raw.map((v, i) => Math.max(0, v - background[i]!));
  // Full ink is what the strongest twentieth of the inked pixels reach, so one bright speck does not dim the digit.
  const inked = lifted.filter((v) => v > 0.05).sort((a, b) => b - a);
  const strongest = inked[Math.floor(inked.length * 0.05)] || 1;
  const ink = lifted.map((v) => {
    const level = Math.min(1, v / strongest);
    return level < 0.2 ? 0 : level;
  });
  return { ink, width: w, height: h };
}
