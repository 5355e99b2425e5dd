import { registerConv2DBackpropFilter } from './conv2dBackpropFilter';
import { registerConv2DBackpropInput } from './conv2dBackpropInput';
import { registerMaxPoolGrad } from './maxPoolGrad';
import { registerSharedIdentity } from './sharedIdentity';
import { registerReductionsOverLeadingAxes } from './reductionsOverLeadingAxes';
import { registerRepeatTile } from './repeatTile';
import { registerUntransposedMatMul } from './transposedMatMul';

/**
 * Makes the wasm backend fit for training: the convolution filter gradient it lacks, and faster
 * (or, for batched fused matmul, correct) versions of the kernels a training step spends its
 * time in. Each file says what it replaces and what that measured. Call after loading
 * @tensorflow/tfjs-backend-wasm and before tf.setBackend('wasm'), so kernel setup runs.
 */
export function registerFastWasmKernels(): void {
  registerUntransposedMatMul();
  registerConv2DBackpropFilter();
  registerConv2DBackpropInput();
  registerMaxPoolGrad();
  registerReductionsOverLeadingAxes();
  registerRepeatTile();
  registerSharedIdentity();
}
