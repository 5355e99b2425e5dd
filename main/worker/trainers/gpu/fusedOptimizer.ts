import * as tf from '@tensorflow/tfjs-core';
import { updateRuleOf } from '../../../../shared/training/optimizerRules';
import { optimizerConstants, type OptimizerSettings } from '../../../../shared/training/trainingSettings';
import { optimizerStateKernel, optimizerWeightsKernel, type OptimizerUpdateAttrs } from '../../kernels/webgpu/optimizerUpdate';

/**
 * The rules of shared/training/optimizerRules.ts, with each variable's update fused into two
 * GPU dispatches (optimizerUpdate.ts): the state stays on the GPU, as one tensor per variable.
 */
export class FusedOptimizer {
  private readonly states: (tf.Tensor | null)[];
  private readonly attrs: Omit<OptimizerUpdateAttrs, 'step'>;
  private step = 0;

  constructor(
    settings: OptimizerSettings,
    private readonly variables: tf.Variable[],
  ) {
    const { name, decay1, decay2, stateSlots } = updateRuleOf(settings);
    this.attrs = { rule: name, learningRate: settings.learningRate, decay1, decay2, epsilon: optimizerConstants.epsilon };
    this.states = variables.map((v) => (stateSlots ? tf.keep(tf.zeros([v.size * stateSlots])) : null));
  }

  /** One step with one gradient per variable, in the variables' order; disposes the gradients. */
  apply(grads: tf.Tensor[]): void {
    this.step++;
    const attrs = { ...this.attrs, step: this.step } as unknown as tf.NamedAttrMap;
    this.variables.forEach((variable, i) => {
      const g = grads[i]!;
      const old = this.states[i];
      const state = old ? (tf.engine().runKernel(optimizerStateKernel, { g, state: old }, attrs) as tf.Tensor) : null;
      const inputs: tf.NamedTensorMap = state ? { w: variable, g, state } : { w: variable, g };
      const weights = tf.engine().runKernel(optimizerWeightsKernel, inputs, attrs) as tf.Tensor;
      variable.assign(weights);
      weights.dispose();
      if (old && state) {
        old.dispose();
        this.states[i] = tf.keep(state);
      }
    });
    tf.dispose(grads);
  }

  dispose(): void {
    tf.dispose(this.states.filter((s): s is tf.Tensor => s !== null));
  }
}
