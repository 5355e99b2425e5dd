/** Hand-picked 3 × 3 kernels for the convolution step-through, row by row; the names are message keys' last parts. */
export const handKernels = {
  verticalEdges: [1, 0, -1, 2, 0, -2, 1, 0, -1],
  horizontalEdges: [1, 2, 1, 0, 0, 0, -1, -2, -1],
  diagonalEdges: [0, 1, 2, -1, 0, 1, -2, -1, 0],
  outline: [-1, -1, -1, -1, 8, -1, -1, -1, -1],
  blur: [1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
} as const satisfies Record<string, readonly number[]>;

export type HandKernelName = keyof typeof handKernels;
export const handKernelNames = Object.keys(handKernels) as HandKernelName[];
