// The specs of our files that fail on the stock wasm backend (tfjs 4.22), each group with its
// reason and exact count. The run fails if stock's failures stop matching this list, so a
// failure is never silenced without a reason, and a tfjs upgrade that changes them is noticed.

export interface ExpectedFailure {
  file: string;
  /** Matches the failure's message. */
  message: RegExp;
  /** How many specs of the file fail this way. */
  count: number;
  reason: string;
}

const noFilterGradient = 'stock wasm has no Conv2DBackpropFilter kernel (ours adds it)';

/** On wasm. */
export const wasmStockFailures: readonly ExpectedFailure[] = [
  {
    file: 'gradients_test.js',
    message: /internal memory leak \(1 data ids\)/,
    count: 2,
    reason:
      "stock wasm's Identity copies its input into a new data id, which the spec's leak check counts (ours shares the input's data, as the cpu backend does)",
  },
  { file: 'ops/clone_test.js', message: /Kernel 'Complex' not registered/, count: 4, reason: 'wasm has no complex64 kernels' },
  { file: 'ops/conv1d_test.js', message: /Kernel 'Conv2DBackpropFilter' not registered/, count: 2, reason: noFilterGradient },
  { file: 'ops/conv2d_test.js', message: /Kernel 'Conv2DBackpropFilter' not registered/, count: 2, reason: noFilterGradient },
  { file: 'ops/conv2d_test.js', message: /Conv2D does not support dataFormat:'channelsFirst'/, count: 11, reason: "wasm's Conv2D takes NHWC only" },
  { file: 'ops/conv2d_transpose_test.js', message: /Kernel 'Conv2DBackpropFilter' not registered/, count: 5, reason: noFilterGradient },
  { file: 'ops/einsum_test.js', message: /^Error: Kernel 'Einsum' not registered/, count: 24, reason: 'wasm has no Einsum kernel' },
  {
    file: 'ops/einsum_test.js',
    message: /^Expected function to throw an exception/,
    count: 7,
    reason: 'einsum checks its equation in the kernel, which wasm lacks, so the expected error is a missing-kernel error',
  },
  { file: 'ops/fused/fused_conv2d_test.js', message: /Kernel 'Conv2DBackpropFilter' not registered/, count: 2, reason: noFilterGradient },
  {
    file: 'ops/fused/fused_conv2d_test.js',
    message: /FusedConv2D does not support dataFormat:'NCHW'/,
    count: 19,
    reason: "wasm's FusedConv2D takes NHWC only",
  },
  {
    file: 'ops/fused/fused_conv2d_test.js',
    message: /FusedConv2D only supports rank-1 bias but got rank [04]/,
    count: 6,
    reason: "wasm's FusedConv2D takes only a rank-1 bias",
  },
  {
    file: 'ops/fused/fused_conv2d_test.js',
    message: /internal memory leak \(3 data ids\)/,
    count: 2,
    reason: "the same extra data ids from stock wasm's Identity, in the fused convolution's gradient",
  },
  {
    file: 'ops/fused/fused_mat_mul_test.js',
    message: /_FusedMatMul only supports rank-1 bias but got rank 2/,
    count: 3,
    reason: "stock wasm's _FusedMatMul takes only a rank-1 bias (ours routes other biases through matmul, add and the activation)",
  },
  { file: 'ops/mat_mul_test.js', message: /BatchMatMul for non non-float32 tensors not yet supported/, count: 1, reason: "wasm's BatchMatMul is float32 only" },
  {
    file: 'ops/pool_test.js',
    message: /^Error: Arrays differ: actual\[3\] = [\d.e+-]+, expected\[3\] = 4/,
    count: 2,
    reason: "wasm's pooling leaves an output cell unwritten (uninitialised memory) when padding makes fractional windows",
  },
  { file: 'ops/tile_test.js', message: /RuntimeError: Aborted\(\)/, count: 3, reason: "wasm's Tile aborts on string tensors" },
];

/** On WebGPU, on the software adapter (SwiftShader). */
export const webgpuStockFailures: readonly ExpectedFailure[] = [];
