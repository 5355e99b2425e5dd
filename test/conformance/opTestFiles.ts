// The tfjs-core op test files (under @tensorflow/tfjs-core/dist/) that exercise the kernels we
// replace on wasm, directly or through an op's gradient: registerFastWasmKernels.ts lists them.

/** Kernel → the test files that reach it. */
export const wasmKernelTests: Record<string, readonly string[]> = {
  BatchMatMul: ['ops/mat_mul_test.js', 'ops/einsum_test.js'],
  _FusedMatMul: ['ops/fused/fused_mat_mul_test.js'],
  Conv2D: ['ops/conv2d_test.js', 'ops/conv1d_test.js', 'ops/conv2d_separable_test.js'],
  FusedConv2D: ['ops/fused/fused_conv2d_test.js'],
  Conv2DBackpropFilter: ['ops/conv2d_test.js', 'ops/conv1d_test.js', 'ops/fused/fused_conv2d_test.js', 'ops/conv2d_separable_test.js'],
  Conv2DBackpropInput: ['ops/conv2d_transpose_test.js', 'ops/conv2d_test.js'],
  MaxPoolGrad: ['ops/max_pool_test.js', 'ops/pool_test.js'],
  Sum: ['ops/sum_test.js', 'ops/log_sum_exp_test.js'],
  Mean: ['ops/mean_test.js', 'ops/moments_test.js'],
  Tile: ['ops/tile_test.js'],
  Identity: ['ops/clone_test.js', 'gradients_test.js'],
};

/** Kernel → the test files that reach it, for the kernels we replace on WebGPU. */
export const webgpuKernelTests: Record<string, readonly string[]> = {
  Conv2DBackpropFilter: ['ops/conv2d_test.js', 'ops/conv1d_test.js', 'ops/conv2d_transpose_test.js', 'ops/fused/fused_conv2d_test.js'],
};

/** Every file of a table once, in a stable order. */
export const testFilesOf = (table: Record<string, readonly string[]>): string[] => [...new Set(Object.values(table).flat())].sort();
