import { Tile, util, type KernelConfig, type KernelFunc, type TensorInfo, type TileAttrs, type TileInputs } from '@tensorflow/tfjs-core';
import { runStockKernel } from './replaceKernel';
import { heapFloats, type Present, type WasmBackend } from './wasmBackendInternals';

/**
 * Tile where only leading size-1 axes repeat (BatchNorm's gradient tiles a [1, 1, 1, c] vector
 * to the whole [n, h, w, c] batch): the output is the input repeated end to end, written by
 * doubling copies in the heap. The stock kernel took 650 ms of a deep-CNN step doing this.
 */
function repeatTile(args: { inputs: Present<TileInputs>; backend: WasmBackend; attrs: TileAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const { reps } = attrs;
  if (x.dtype === 'string') return tileStrings(x, reps, backend);
  const lastRepeated = reps.reduce((last, r, i) => (r > 1 ? i : last), -1);
  const simple = x.dtype === 'float32' && reps.length === x.shape.length && x.shape.slice(0, lastRepeated + 1).every((size) => size === 1);
  if (!simple) return runStockKernel(Tile, { x }, backend, { reps });
  const out = backend.makeOutput(
    x.shape.map((size, i) => size * reps[i]!),
    'float32',
  );
  const source = heapFloats(backend, x);
  const target = heapFloats(backend, out);
  target.set(source);
  for (let filled = source.length; filled < target.length; filled *= 2) target.copyWithin(filled, 0, Math.min(filled, target.length - filled));
  return out;
}

/**
 * Strings live outside the heap, where the stock kernel aborts on them; they are tiled here in
 * plain JavaScript, element by element, as the cpu backend does.
 */
function tileStrings(x: TensorInfo, reps: number[], backend: WasmBackend): TensorInfo {
  const values = backend.readSync(x.dataId) as Uint8Array[];
  const outShape = x.shape.map((size, i) => size * reps[i]!);
  const inStrides = util.computeStrides(x.shape);
  const outStrides = util.computeStrides(outShape);
  const out = new Array<Uint8Array>(util.sizeFromShape(outShape));
  for (let i = 0; i < out.length; i++) {
    let rest = i;
    let source = 0;
    for (let axis = 0; axis < outShape.length; axis++) {
      const stride = outStrides[axis] ?? 1;
      const coordinate = Math.floor(rest / stride);
      rest -= coordinate * stride;
      source += (coordinate % x.shape[axis]!) * (inStrides[axis] ?? 1);
    }
    out[i] = values[source]!;
  }
  return backend.makeOutput(outShape, 'string', undefined, out);
}

export const tileConfig: KernelConfig = { kernelName: Tile, backendName: 'wasm', kernelFunc: repeatTile as unknown as KernelFunc };
