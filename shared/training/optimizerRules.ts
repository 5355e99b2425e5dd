import { optimizerConstants, type OptimizerSettings } from './trainingSettings';

// Each optimiser's update, written once, for one weight, in double precision and in the order
// tfjs computes it. The implementations (tfjs' own optimisers, the CPU threads' OptimizerStep and
// the fused WebGPU update) are written for speed; test/unit/optimizerRules.test.ts holds each of
// them to these.

const { epsilon, adamBeta1, adamBeta2, rmspropDecay } = optimizerConstants;

export type UpdateRuleName = 'adam' | 'momentum' | 'rmsprop' | 'sgd';

export interface UpdateRule {
  name: UpdateRuleName;
  /** State values kept per weight: Adam's two moments, momentum's accumulator, RMSprop's mean square, none for SGD. */
  stateSlots: 0 | 1 | 2;
  /** The two decays the rule reads: Adam's β1 and β2, the momentum, RMSprop's decay (0 where unused). */
  decay1: number;
  decay2: number;
  /** The update as a formula, for people. */
  formula: string;
  /** One step (`step` counts from 1) of one weight: updates `state` in place and returns the new weight. */
  apply(weight: number, gradient: number, state: number[], learningRate: number, step: number): number;
}

const adam: UpdateRule = {
  name: 'adam',
  stateSlots: 2,
  decay1: adamBeta1,
  decay2: adamBeta2,
  formula: 'm ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)',
  apply(w, g, state, lr, step) {
    const m = (state[0] = adamBeta1 * state[0]! + (1 - adamBeta1) * g);
    const v = (state[1] = adamBeta2 * state[1]! + (1 - adamBeta2) * g * g);
    return w - (lr * (m / (1 - adamBeta1 ** step))) / (Math.sqrt(v / (1 - adamBeta2 ** step)) + epsilon);
  },
};

const rmsprop: UpdateRule = {
  name: 'rmsprop',
  stateSlots: 1,
  decay1: rmspropDecay,
  decay2: 0,
  formula: 's ← ρ·s + (1−ρ)·g²;  w ← w − lr·g / √(s + ε)',
  apply(w, g, state, lr) {
    const s = (state[0] = rmspropDecay * state[0]! + (1 - rmspropDecay) * g * g);
    return w - (lr * g) / Math.sqrt(s + epsilon);
  },
};

const sgd: UpdateRule = {
  name: 'sgd',
  stateSlots: 0,
  decay1: 0,
  decay2: 0,
  formula: 'w ← w − lr·g',
  apply: (w, g, _state, lr) => w - lr * g,
};

function momentumRule(momentum: number): UpdateRule {
  return {
    name: 'momentum',
    stateSlots: 1,
    decay1: momentum,
    decay2: 0,
    formula: `a ← ${momentum}·a + g;  w ← w − lr·a`,
    apply(w, g, state, lr) {
      const a = (state[0] = momentum * state[0]! + g);
      return w - lr * a;
    },
  };
}

/** The rule an optimiser setting trains with: SGD with momentum above 0 is the momentum rule. */
export function updateRuleOf(settings: OptimizerSettings): UpdateRule {
  if (settings.type === 'adam') return adam;
  if (settings.type === 'rmsprop') return rmsprop;
  return settings.momentum > 0 ? momentumRule(settings.momentum) : sgd;
}

/** `gradients.length` steps of the rule from `start`, as the reference the implementations are held to. */
export function referenceSteps(settings: OptimizerSettings, start: ArrayLike<number>, gradients: ArrayLike<number>[]): Float64Array {
  const rule = updateRuleOf(settings);
  const weights = Float64Array.from(start);
  const states = Array.from({ length: weights.length }, () => new Array<number>(rule.stateSlots).fill(0));
  gradients.forEach((g, i) => {
    for (let k = 0; k < weights.length; k++) weights[k] = rule.apply(weights[k]!, g[k]!, states[k]!, settings.learningRate, i + 1);
  });
  return weights;
}
