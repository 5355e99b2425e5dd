import { updateRuleOf, type UpdateRule } from '../../../../shared/training/optimizerRules';
import { nativeKernelsOnOwnMemory, noteKernelRun, ownMemoryBase, type NativeKernels } from '../../kernels/wasm/native/nativeKernels';
import { optimizerConstants, type OptimizerSettings } from '../../../../shared/training/trainingSettings';

const { epsilon } = optimizerConstants;

/** The rules' numbers in native/optimizerUpdate.c. */
const ruleNumbers = { adam: 0, momentum: 1, sgd: 2, rmsprop: 3 } as const;

/**
 * The data-parallel trainer's optimiser update for one slice [start, end) of the flat
 * parameters, by the rules of optimizerRules.ts, in native/optimizerUpdate.c on a wasm memory of
 * the slice's own (its moments live there; the weights and every thread's gradients are copied in,
 * the weights back out). Each thread owns one slice: it sums every thread's pre-scaled gradients
 * there and writes the new weights into the shared copy, so the update is spread over all threads
 * and there is one set of weights, not replicas that could drift. (tfjs' optimisers take about
 * fifteen kernel calls per weight, 22 ms per seed-CNN step on wasm; the same loops in JavaScript
 * 2.4 ms per half of the seed MLP, here 0.6 ms with the copies, 2026-12-02.)
 */
export class OptimizerStep {
  private readonly rule: UpdateRule;
  /** The slice padded to whole SIMD groups. */
  private readonly padded: number;
  private native: { kernels: NativeKernels; heap: Float32Array; threads: number } | null = null;
  private step = 0;

  constructor(
    private readonly settings: OptimizerSettings,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.rule = updateRuleOf(settings);
    this.padded = Math.ceil((end - start) / 4) * 4;
  }

  /** Updates `weights` in place on this slice with the gradient `Σ parts[t]`, summed in thread order. */
  apply(weights: Float32Array, parts: Float32Array[]): void {
    this.step++;
    noteKernelRun('optimiser update');
    const { start, end, padded, rule } = this;
    const threads = parts.length;
    // Floats: the weights, each thread's gradients, then the two moments (zero to begin with).
    this.native ??= { ...nativeKernelsOnOwnMemory(4 * padded * (threads + 3)), threads };
    if (this.native.threads !== threads) throw new Error(`the optimiser was set up for ${this.native.threads} threads, not ${threads}`);
    const { kernels, heap } = this.native;
    const base = ownMemoryBase / 4;
    heap.set(weights.subarray(start, end), base);
    parts.forEach((part, t) => heap.set(part.subarray(start, end), base + padded * (1 + t)));
    const first = base + padded * (1 + threads);
    const correction1 = rule.name === 'adam' ? 1 - rule.decay1 ** this.step : 1;
    const correction2 = rule.name === 'adam' ? 1 - rule.decay2 ** this.step : 1;
    const { learningRate } = this.settings;
    kernels.optimizer_update(
      ruleNumbers[rule.name],
      4 * base,
      4 * (base + padded),
      threads,
      4 * first,
      4 * (first + padded),
      padded,
      learningRate,
      rule.decay1,
      rule.decay2,
      epsilon,
      correction1,
      correction2,
    );
    weights.set(heap.subarray(base, base + end - start), start);
  }
}
