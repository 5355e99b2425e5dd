import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { UpdateRuleName } from '../../../../shared/training/optimizerRules';
import type { ProgramUniform, WebGPUProgram, WebGpuBackend } from './webgpuBackendInternals';

// The rules of shared/training/optimizerRules.ts in WGSL: one variable's update in two dispatches instead of tfjs' ten to fifteen
// elementwise kernels: one writes the new optimiser state, one the new weights. (A tfjs program
// has one output, and a buffer cannot be read and written in one dispatch, so two it is.)

/** Custom kernel names: registered on WebGPU only, called by the GPU trainer's optimiser. */
export const optimizerStateKernel = 'MnistLabOptimizerState';
export const optimizerWeightsKernel = 'MnistLabOptimizerWeights';

/** Plain SGD keeps no state. */
type StatefulRule = Exclude<UpdateRuleName, 'sgd'>;

export interface OptimizerUpdateAttrs {
  rule: UpdateRuleName;
  learningRate: number;
  /** Adam: β1 and β2; momentum: the momentum; rmsprop: the decay. */
  decay1: number;
  decay2: number;
  epsilon: number;
  /** Adam's step count, for its bias corrections. */
  step: number;
}

/** One thread per output value, 64 to a workgroup: what both update programs share. */
abstract class ElementwiseProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract uniforms: string;
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];

  constructor(
    readonly outputShape: number[],
    readonly shaderKey: string,
  ) {
    this.dispatch = [Math.ceil(outputShape.reduce((a, b) => a * b, 1) / 64), 1, 1];
  }

  abstract getUserCode(): string;
}

/**
 * The new state from the gradient g (n values) and the old state: Adam's [m, v] (2n values),
 * momentum's accumulator or RMSprop's mean square (n).
 */
class StateProgram extends ElementwiseProgram {
  variableNames = ['g', 'state'];
  uniforms = 'n : i32, decay1 : f32, decay2 : f32,';

  constructor(
    outputShape: number[],
    private readonly rule: StatefulRule,
  ) {
    super(outputShape, `mnistLabOptimizerState_${rule}`);
  }

  getUserCode(): string {
    const update = {
      adam: `if (index < uniforms.n) {
               value = uniforms.decay1 * state[index] + (1.0 - uniforms.decay1) * g[index];
             } else {
               let gi = g[index - uniforms.n];
               value = uniforms.decay2 * state[index] + (1.0 - uniforms.decay2) * gi * gi;
             }`,
      momentum: 'value = uniforms.decay1 * state[index] + g[index];',
      rmsprop: 'value = uniforms.decay1 * state[index] + (1.0 - uniforms.decay1) * g[index] * g[index];',
    }[this.rule];
    return `
      ${'fn main(index : i32)'} {
        if (index < uniforms.size) {
          var value = 0.0;
          ${update}
          setOutputAtIndex(index, value);
        }
      }
    `;
  }
}

/** What each rule's weight update reads: every binding a shader declares must be used. */
const weightInputs: Record<UpdateRuleName, string[]> = { adam: ['w', 'state'], momentum: ['w', 'state'], rmsprop: ['w', 'g', 'state'], sgd: ['w', 'g'] };

/** The new weights from the old ones and the new state (and, where the rule needs it, the gradient). */
class WeightsProgram extends ElementwiseProgram {
  variableNames: string[];
  uniforms = 'n : i32, learningRate : f32, correction1 : f32, correction2 : f32, epsilon : f32,';

  constructor(
    outputShape: number[],
    private readonly rule: UpdateRuleName,
  ) {
    super(outputShape, `mnistLabOptimizerWeights_${rule}_${outputShape.length}`);
    this.variableNames = weightInputs[rule];
  }

  getUserCode(): string {
    const step = {
      adam: '(uniforms.learningRate * (state[index] / uniforms.correction1)) / (sqrt(state[index + uniforms.n] / uniforms.correction2) + uniforms.epsilon)',
      momentum: 'uniforms.learningRate * state[index]',
      rmsprop: '(uniforms.learningRate * g[index]) / sqrt(state[index] + uniforms.epsilon)',
      sgd: 'uniforms.learningRate * g[index]',
    }[this.rule];
    return `
      ${'fn main(index : i32)'} {
        if (index < uniforms.size) {
          setOutputAtIndex(index, w[index] - ${step});
        }
      }
    `;
  }
}

type UpdateArgs = { inputs: Record<string, TensorInfo>; backend: WebGpuBackend; attrs: OptimizerUpdateAttrs };

const sizeOf = (info: TensorInfo) => info.shape.reduce((a, b) => a * b, 1);

function optimizerState({ inputs, backend, attrs }: UpdateArgs): TensorInfo {
  const { g, state } = inputs as { g: TensorInfo; state: TensorInfo };
  const uniforms: ProgramUniform[] = [
    { type: 'int32', data: [sizeOf(g)] },
    { type: 'float32', data: [attrs.decay1] },
    { type: 'float32', data: [attrs.decay2] },
  ];
  if (attrs.rule === 'sgd') throw new Error('plain SGD keeps no optimiser state');
  return backend.runWebGPUProgram(new StateProgram([sizeOf(state)], attrs.rule), [g, state], 'float32', uniforms);
}

function optimizerWeights({ inputs, backend, attrs }: UpdateArgs): TensorInfo {
  const { w } = inputs as { w: TensorInfo };
  const uniforms: ProgramUniform[] = [
    { type: 'int32', data: [sizeOf(w)] },
    { type: 'float32', data: [attrs.learningRate] },
    { type: 'float32', data: [1 - attrs.decay1 ** attrs.step] },
    { type: 'float32', data: [1 - attrs.decay2 ** attrs.step] },
    { type: 'float32', data: [attrs.epsilon] },
  ];
  return backend.runWebGPUProgram(
    new WeightsProgram([...w.shape], attrs.rule),
    weightInputs[attrs.rule].map((name) => inputs[name]!),
    'float32',
    uniforms,
  );
}

export const optimizerStateConfig: KernelConfig = {
  kernelName: optimizerStateKernel,
  backendName: 'webgpu',
  kernelFunc: optimizerState as unknown as KernelFunc,
};
export const optimizerWeightsConfig: KernelConfig = {
  kernelName: optimizerWeightsKernel,
  backendName: 'webgpu',
  kernelFunc: optimizerWeights as unknown as KernelFunc,
};
