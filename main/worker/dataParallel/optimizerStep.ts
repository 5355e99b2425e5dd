import type { OptimizerSettings } from '../../../shared/training/trainingSettings';

/** tfjs' defaults: epsilon is the float32 backends' 1e-7; RMSprop decays by 0.9. */
const epsilon = 1e-7;
const adamBeta1 = 0.9;
const adamBeta2 = 0.999;
const rmspropDecay = 0.9;

/**
 * The optimiser update of the two-thread trainer, in one pass per weight array in plain
 * JavaScript, with the same rules as tfjs' Adam, Momentum/SGD and RMSprop. The gradient is the
 * sum of two pre-scaled halves, so both replicas, running this same code on the same numbers,
 * keep bit-identical weights. (tfjs' optimisers take about fifteen kernel calls per weight,
 * 22 ms per seed-CNN step on wasm, against about 5 ms here.)
 */
export class OptimizerStep {
  private readonly first: Float32Array[];
  private readonly second: Float32Array[];
  private step = 0;

  constructor(
    private readonly settings: OptimizerSettings,
    sizes: number[],
  ) {
    this.first = sizes.map((n) => new Float32Array(n));
    this.second = sizes.map((n) => new Float32Array(n));
  }

  /** Updates `weights` in place with the gradient `a[i] + b[i]`. */
  apply(weights: Float32Array[], a: Float32Array[], b: Float32Array[]): void {
    this.step++;
    const s = this.settings;
    const lr = s.learningRate;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      const ga = a[i]!;
      const gb = b[i]!;
      const m = this.first[i]!;
      const v = this.second[i]!;
      if (s.type === 'adam') {
        const correction1 = 1 - adamBeta1 ** this.step;
        const correction2 = 1 - adamBeta2 ** this.step;
        for (let k = 0; k < w.length; k++) {
          const g = ga[k]! + gb[k]!;
          const mk = adamBeta1 * m[k]! + (1 - adamBeta1) * g;
          const vk = adamBeta2 * v[k]! + (1 - adamBeta2) * g * g;
          m[k] = mk;
          v[k] = vk;
          w[k] = w[k]! - (lr * (mk / correction1)) / (Math.sqrt(vk / correction2) + epsilon);
        }
      } else if (s.type === 'sgd') {
        for (let k = 0; k < w.length; k++) {
          const g = ga[k]! + gb[k]!;
          if (s.momentum > 0) {
            const acc = s.momentum * m[k]! + g;
            m[k] = acc;
            w[k] = w[k]! - lr * acc;
          } else {
            w[k] = w[k]! - lr * g;
          }
        }
      } else {
        for (let k = 0; k < w.length; k++) {
          const g = ga[k]! + gb[k]!;
          const ms = rmspropDecay * v[k]! + (1 - rmspropDecay) * g * g;
          v[k] = ms;
          w[k] = w[k]! - (lr * g) / Math.sqrt(ms + epsilon);
        }
      }
    }
  }
}
