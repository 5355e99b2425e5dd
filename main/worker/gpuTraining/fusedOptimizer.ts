import * as tf from '@tensorflow/tfjs-core';
import { optimizerConstants, type OptimizerSettings } from '../../../shared/training/trainingSettings';
import { optimizerStateKernel, optimizerWeightsKernel, type OptimizerUpdateAttrs, type UpdateRule } from '../webgpuKernels/optimizerUpdate';

const { epsilon, adamBeta1, adamBeta2, rmspropDecay } = optimizerConstants;

function updateRule(settings: OptimizerSettings): { rule: UpdateRule; decay1: number; decay2: number; stateFactor: number } {
  if (settings.type === 'adam') return { rule: 'adam', decay1: adamBeta1, decay2: adamBeta2, stateFactor: 2 };
  if (settings.type === 'rmsprop') return { rule: 'rmsprop', decay1: rmspropDecay, decay2: 0, stateFactor: 1 };
  return settings.momentum > 0
    ? { rule: 'momentum', decay1: settings.momentum, decay2: 0, stateFactor: 1 }
    : { rule: 'sgd', decay1: 0, decay2: 0, stateFactor: 0 };
}

/**
 * tfjs' Adam, Momentum/SGD and RMSprop, with each variable's update fused into two GPU
 * dispatches (optimizerUpdate.ts): the state stays on the GPU, as one tensor per variable.
 */
export class FusedOptimizer {
  private readonly states: (tf.Tensor | null)[];
  private readonly attrs: Omit<OptimizerUpdateAttrs, 'step'>;
  private step = 0;

  constructor(
    settings: OptimizerSettings,
    private readonly variables: tf.Variable[],
  ) {
    const { rule, decay1, decay2, stateFactor } = updateRule(settings);
    this.attrs = { rule, learningRate: settings.learningRate, decay1, decay2, epsilon };
    this.states = variables.map((v) => (stateFactor ? tf.keep(tf.zeros([v.size * stateFactor])) : null));
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
