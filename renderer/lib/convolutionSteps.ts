/**
 * The arithmetic behind the designer's step-through views, one window at a time: a convolution
 * kernel over a one-channel picture, max and average pooling, dropout and flatten, computed the
 * way tfjs computes them (the unit tests compare with tfjs' own ops).
 */

export interface Grid {
  values: Float32Array;
  height: number;
  width: number;
}

export interface Window {
  kernel: number;
  stride: number;
  padding: 'valid' | 'same';
}

/** Output rows (or columns) of a window over `input` rows, as tfjs sizes them. */
export function outputSize(input: number, { kernel, stride, padding }: Window): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - kernel) / stride) + 1;
}

/** Rows (or columns) of zeros 'same' puts before the first: half the padding, rounded down, as tfjs and Keras do. */
export function padBefore(input: number, window: Window): number {
  if (window.padding === 'valid') return 0;
  return Math.floor(Math.max((outputSize(input, window) - 1) * window.stride + window.kernel - input, 0) / 2);
}

/** The input cells under the window at output (row, column), row by row; null where it hangs over the edge (zero padding). */
export function windowCells(grid: Grid, window: Window, row: number, column: number): { row: number; column: number; value: number | null }[] {
  const top = row * window.stride - padBefore(grid.height, window);
  const left = column * window.stride - padBefore(grid.width, window);
  const cells = [];
  for (let i = 0; i < window.kernel; i++)
    for (let j = 0; j < window.kernel; j++) {
      const r = top + i;
      const c = left + j;
      const inside = r >= 0 && r < grid.height && c >= 0 && c < grid.width;
      cells.push({ row: r, column: c, value: inside ? grid.values[r * grid.width + c]! : null });
    }
  return cells;
}

export interface ConvolutionStep {
  /** The k × k input values under the kernel, row by row (0 where padding). */
  pixels: number[];
  weights: number[];
  products: number[];
  /** Σ products. */
  sum: number;
  bias: number;
  /** sum + bias, before the activation. */
  preActivation: number;
  /** After ReLU (or unchanged for a linear convolution). */
  output: number;
}

/** One output pixel of a convolution of one channel with one k × k kernel (row by row), its bias and ReLU or none. */
export function convolutionStep(image: Grid, kernel: Float32Array, bias: number, window: Window, relu: boolean, row: number, column: number): ConvolutionStep {
  const pixels = windowCells(image, window, row, column).map((cell) => cell.value ?? 0);
  const weights = Array.from(kernel);
  const products = pixels.map((p, i) => p * weights[i]!);
  // Math.fround after each step keeps the sum in float32, as tfjs' kernels sum.
  const sum = products.reduce((total, p) => Math.fround(total + Math.fround(p)), 0);
  const preActivation = Math.fround(sum + bias);
  return { pixels, weights, products, sum, bias, preActivation, output: relu ? Math.max(0, preActivation) : preActivation };
}

/** The whole feature map, pixel by pixel through convolutionStep: what the stepper fills in as it goes. */
export function convolve(image: Grid, kernel: Float32Array, bias: number, window: Window, relu: boolean): Grid {
  const height = outputSize(image.height, window);
  const width = outputSize(image.width, window);
  const values = new Float32Array(height * width);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) values[r * width + c] = convolutionStep(image, kernel, bias, window, relu, r, c).output;
  return { values, height, width };
}

export interface PoolingStep {
  /** The window's values, row by row (valid windows only: pooling steps do not pad). */
  values: number[];
  max: number;
  /** Which of `values` is the largest (the first, on a tie). */
  maxAt: number;
  mean: number;
}

/** One window of max and average pooling ('valid', as the seed's 2 × 2 pooling). */
export function poolingStep(map: Grid, size: number, stride: number, row: number, column: number): PoolingStep {
  const values = windowCells(map, { kernel: size, stride, padding: 'valid' }, row, column).map((cell) => cell.value ?? 0);
  const max = Math.max(...values);
  const mean = Math.fround(values.reduce((a, b) => Math.fround(a + b), 0) / values.length);
  return { values, max, maxAt: values.indexOf(max), mean };
}

/** Max and average pooling of a whole map through poolingStep. */
export function pool(map: Grid, size: number, stride: number): { max: Grid; average: Grid } {
  const window: Window = { kernel: size, stride, padding: 'valid' };
  const height = outputSize(map.height, window);
  const width = outputSize(map.width, window);
  const max = new Float32Array(height * width);
  const average = new Float32Array(height * width);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const step = poolingStep(map, size, stride, r, c);
      max[r * width + c] = step.max;
      average[r * width + c] = step.mean;
    }
  return { max: { values: max, height, width }, average: { values: average, height, width } };
}

/**
 * Dropout at training time: each value is kept with probability 1 − rate and then scaled by
 * 1 / (1 − rate), so the layer's output keeps the same mean; dropped values become 0. `random`
 * gives numbers in [0, 1), one per value, as tfjs draws them.
 */
export function dropout(values: Float32Array, rate: number, random: () => number): { kept: boolean[]; output: Float32Array; scale: number } {
  const scale = 1 / (1 - rate);
  const kept = Array.from(values, () => random() >= rate);
  return { kept, output: Float32Array.from(values, (v, i) => (kept[i] ? Math.fround(v * scale) : 0)), scale };
}

/** Where (row, column, channel) of an [h, w, c] map lands when flattened: channels fastest, then columns, then rows. */
export function flattenIndex(row: number, column: number, channel: number, width: number, channels: number): number {
  return (row * width + column) * channels + channel;
}
