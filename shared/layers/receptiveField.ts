import type { LayerInfo } from './inferShapes';

/** Rows [top, bottom] and columns [left, right] of the input image, inclusive. */
export interface PixelRect {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Padding before the first row (or column) that tfjs and Keras add for 'same': half the total, rounded down. */
function samePadBefore(input: number, kernel: number, stride: number): number {
  const output = Math.ceil(input / stride);
  return Math.floor(Math.max((output - 1) * stride + kernel - input, 0) / 2);
}

/** Rows (or columns) [from, to] of a layer's output, as rows of its input. */
function backThrough(from: number, to: number, kernel: number, stride: number, pad: number): [number, number] {
  return [from * stride - pad, to * stride - pad + kernel - 1];
}

/**
 * The pixels of the input image that output pixel (row, column) of layer `index` depends on: each
 * convolution and pooling window widens it by its kernel and stride; activations, dropout and
 * batch normalisation leave it as it is; after Flatten or Dense every output sees the whole
 * image. `layers` is the designer's analysis (each layer's output shape), the input at 0.
 */
export function receptiveField(layers: readonly LayerInfo[], index: number, row: number, column: number): PixelRect {
  const input = layers[0]!.outputShape as [number, number, number];
  const whole = { top: 0, bottom: input[0] - 1, left: 0, right: input[1] - 1 };
  let rows: [number, number] = [row, row];
  let columns: [number, number] = [column, column];
  for (let i = index; i >= 1; i--) {
    const { layer } = layers[i]!;
    const [inH, inW] = layers[i - 1]!.outputShape as [number, number, number];
    if (layer.type === 'flatten' || layer.type === 'dense') return whole;
    if (layer.type !== 'conv2d' && layer.type !== 'maxPooling2d' && layer.type !== 'averagePooling2d') continue;
    const kernel = layer.type === 'conv2d' ? layer.kernelSize : layer.poolSize;
    const stride = layer.type === 'conv2d' ? layer.strides : (layer.strides ?? layer.poolSize);
    const same = layer.padding === 'same';
    rows = backThrough(rows[0], rows[1], kernel, stride, same ? samePadBefore(inH, kernel, stride) : 0);
    columns = backThrough(columns[0], columns[1], kernel, stride, same ? samePadBefore(inW, kernel, stride) : 0);
  }
  return {
    top: Math.max(0, rows[0]),
    bottom: Math.min(whole.bottom, rows[1]),
    left: Math.max(0, columns[0]),
    right: Math.min(whole.right, columns[1]),
  };
}
