import { updateRuleOf, type UpdateRule } from '../../../../shared/training/optimizerRules';
import { optimizerConstants, type OptimizerSettings } from '../../../../shared/training/trainingSettings';

const { epsilon } = optimizerConstants;

/** One slice's update: its weights, its summed gradient and the optimiser's two moments, all the same length. */
interface SliceState {
  w: Float32Array;
  g: Float32Array;
  first: Float32Array;
  second: Float32Array;
}

// The rules of shared/training/optimizerRules.ts as loops over a slice: a call per weight
// through the description would cost more than the update itself.

function adamUpdate({ w, g, first: m, second: v }: SliceState, lr: number, step: number, { decay1: beta1, decay2: beta2 }: UpdateRule): void {
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  for (let k = 0; k < w.length; k++) {
    const gk = g[k]!;
    const mk = beta1 * m[k]! + (1 - beta1) * gk;
    const vk = beta2 * v[k]! + (1 - beta2) * gk * gk;
    m[k] = mk;
    v[k] = vk;
    w[k] = w[k]! - (lr * (mk / correction1)) / (Math.sqrt(vk / correction2) + epsilon);
  }
}

function momentumUpdate({ w, g, first: a }: SliceState, lr: number, _step: number, { decay1: momentum }: UpdateRule): void {
  for (let k = 0; k < w.length; k++) {
    const acc = momentum * a[k]! + g[k]!;
    a[k] = acc;
    w[k] = w[k]! - lr * acc;
  }
}

function sgdUpdate({ w, g }: SliceState, lr: number): void {
  for (let k = 0; k < w.length; k++) w[k] = w[k]! - lr * g[k]!;
}

function rmspropUpdate({ w, g, first: v }: SliceState, lr: number, _step: number, { decay1: decay }: UpdateRule): void {
  for (let k = 0; k < w.length; k++) {
    const ms = decay * v[k]! + (1 - decay) * g[k]! * g[k]!;
    v[k] = ms;
    w[k] = w[k]! - (lr * g[k]!) / Math.sqrt(ms + epsilon);
  }
}

const sliceUpdates = { adam: adamUpdate, momentum: momentumUpdate, sgd: sgdUpdate, rmsprop: rmspropUpdate };

/**
 * The data-parallel trainer's optimiser update for one slice [start, end) of the flat
 * parameters, in one pass in plain JavaScript, by the rules of optimizerRules.ts. Each thread owns one slice: it sums every thread's pre-scaled gradients there
 * and writes the new weights into the shared copy, so the update is spread over all threads
 * and there is one set of weights, not replicas that could drift. (tfjs' optimisers take about
 * fifteen kernel calls per weight, 22 ms per seed-CNN step on wasm, against about 5 ms here.)
 */
export class OptimizerStep {
  private readonly first: Float32Array;
  private readonly second: Float32Array;
  private readonly gradient: Float32Array;
  private readonly rule: UpdateRule;
  private step = 0;

  constructor(
    private readonly settings: OptimizerSettings,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.first = new Float32Array(end - start);
    this.second = new Float32Array(end - start);
    this.gradient = new Float32Array(end - start);
    this.rule = updateRuleOf(settings);
  }

  /** Updates `weights` in place on this slice with the gradient `Σ parts[t]`, summed in thread order. */
  apply(weights: Float32Array, parts: Float32Array[]): void {
    this.step++;
    const { start, end, gradient: g } = this;
    g.set(parts[0]!.subarray(start, end));
    for (let t = 1; t < parts.length; t++) {
      const part = parts[t]!;
      for (let k = 0; k < g.length; k++) g[k] = g[k]! + part[start + k]!;
    }
    const state: SliceState = { w: weights.subarray(start, end), g, first: this.first, second: this.second };
    sliceUpdates[this.rule.name](state, this.settings.learningRate, this.step, this.rule);
  }
}
