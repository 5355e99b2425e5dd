import { BatchMatMul, _FusedMatMul, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { replaceWasmKernel, wasmKernel } from './replaceKernel';
import type { WasmBackend } from './wasmBackend';

interface MatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  backend: WasmBackend;
  attrs: { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
}

/** The activations fused matmul offers, as the wasm kernels that apply them on their own. */
const activationKernels: Record<string, string> = { relu: 'Relu', relu6: 'Relu6', elu: 'Elu', sigmoid: 'Sigmoid', leakyrelu: 'LeakyRelu', prelu: 'Prelu' };

/**
 * Wraps the wasm matmul kernels:
 * - an operand marked transposed is transposed explicitly first: wasm's matmul walks memory
 *   against the grain when told to transpose (about 50× slower), and every Dense gradient asks;
 * - a batched fused matmul (batch > 1) is computed as matmul, then bias and activation, because
 *   the stock fused kernel returns wrong numbers for batched inputs of realistic size.
 */
function wrapMatMul(original: KernelFunc, fused: boolean, batchMatMul: KernelFunc): KernelFunc {
  const transpose = wasmKernel('Transpose');
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as MatMulArgs;
    const temporaries: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temporaries.push(t), t);
    const swapLastTwo = (t: TensorInfo): TensorInfo => {
      const rank = t.shape.length;
      const perm = [...Array(rank).keys()];
      [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
      return keep(transpose({ inputs: { x: t }, backend, attrs: { perm } }) as TensorInfo);
    };
    const a = attrs.transposeA ? swapLastTwo(inputs.a) : inputs.a;
    const b = attrs.transposeB ? swapLastTwo(inputs.b) : inputs.b;
    const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
    try {
      const batch = Math.max(util.sizeFromShape(a.shape.slice(0, -2)), util.sizeFromShape(b.shape.slice(0, -2)));
      if (!fused || batch === 1) {
        if (a === inputs.a && b === inputs.b) return original(args);
        return original({ inputs: { ...inputs, a, b }, backend, attrs: plainAttrs } as never);
      }
      let out = batchMatMul({ inputs: { a, b }, backend, attrs: plainAttrs } as never) as TensorInfo;
      if (inputs.bias) {
        const biased = wasmKernel('Add')({ inputs: { a: keep(out), b: inputs.bias }, backend } as never) as TensorInfo;
        out = biased;
      }
      const activation = attrs.activation ?? 'linear';
      if (activation !== 'linear') {
        const name = activationKernels[activation];
        if (!name) throw new Error(`fused matmul activation ${activation} is not supported on wasm`);
        const activationInputs = activation === 'prelu' ? { x: keep(out), alpha: inputs.preluActivationWeights! } : { x: keep(out) };
        out = wasmKernel(name)({ inputs: activationInputs, backend, attrs: { alpha: attrs.leakyreluAlpha ?? 0.2 } } as never) as TensorInfo;
      }
      return out;
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

export function registerUntransposedMatMul(): void {
  const stockBatchMatMul = wasmKernel(BatchMatMul);
  for (const name of [BatchMatMul, _FusedMatMul]) {
    replaceWasmKernel(name, (stock) => wrapMatMul(stock ?? wasmKernel(name), name === _FusedMatMul, stockBatchMatMul));
  }
}
