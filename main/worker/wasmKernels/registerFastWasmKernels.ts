import { registerConv2DBackpropFilter } from './conv2dBackpropFilter';
import { registerConv2DBackpropInput } from './conv2dBackpropInput';
import { registerMaxPoolGrad } from './maxPoolGrad';
import { registerSharedIdentity } from './sharedIdentity';
import { registerReductionsOverLeadingAxes } from './reductionsOverLeadingAxes';
import { registerRepeatTile } from './repeatTile';
import { registerUntransposedMatMul } from './transposedMatMul';

/**
 * Makes the wasm backend fit for training: fast transposed matmuls (Dense gradients) and the
 * convolution filter gradient it lacks. Call after loading @tensorflow/tfjs-backend-wasm and
 * before tf.setBackend('wasm'), so the kernels' setup runs with the backend.
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
