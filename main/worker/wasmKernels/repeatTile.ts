import { Tile, type KernelConfig, type KernelFunc, type TensorInfo, type TileAttrs, type TileInputs } from '@tensorflow/tfjs-core';
import { runStockKernel } from './replaceKernel';
import { heapFloats, type Present, type WasmBackend } from './wasmBackend';

/**
 * Tile where only leading size-1 axes repeat (BatchNorm's gradient tiles a [1, 1, 1, c] vector
 * to the whole [n, h, w, c] batch): the output is the input repeated end to end, written by
 * doubling copies in the heap. The stock kernel took 650 ms of a deep-CNN step doing this.
 */
function repeatTile(args: { inputs: Present<TileInputs>; backend: WasmBackend; attrs: TileAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const { reps } = attrs;
  const lastRepeated = reps.reduce((last, r, i) => (r > 1 ? i : last), -1);
  const simple = x.dtype === 'float32' && reps.length === x.shape.length && x.shape.slice(0, lastRepeated + 1).every((size) => size === 1);
  if (!simple) return runStockKernel(Tile, { x }, backend, { reps });
  const out = backend.makeOutput(x.shape.map((size, i) => size * reps[i]!), 'float32');
  const source = heapFloats(backend, x);
  const target = heapFloats(backend, out);
  target.set(source);
  for (let filled = source.length; filled < target.length; filled *= 2) target.copyWithin(filled, 0, Math.min(filled, target.length - filled));
  return out;
}

export const tileConfig: KernelConfig = { kernelName: Tile, backendName: 'wasm', kernelFunc: repeatTile as unknown as KernelFunc };
