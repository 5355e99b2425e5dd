import { halfToFloat } from './halfFloat';
import { UnsupportedModelError } from '../../modelImport/kerasModelConfig';

// One weight of tfjs' weights manifest, decoded from the weights files' bytes: float32 as
// stored, or as tfjs-converter's --quantize_uint8 / _uint16 (value = q × scale + min) and
// --quantize_float16 leave it.

export interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype?: unknown; scale?: unknown; min?: unknown };
}

const quantizedBytes = { uint8: 1, uint16: 2, float16: 2 } as const;
type QuantizedType = keyof typeof quantizedBytes;

/** How the weight is stored: float32, or one of tfjs-converter's quantized types. */
function storedType(weight: ManifestWeight): 'float32' | QuantizedType {
  if (weight.dtype !== 'float32') throw new UnsupportedModelError(`weight ${weight.name} is ${weight.dtype}; only float32 weights can be imported`);
  const type = weight.quantization ? weight.quantization.dtype : 'float32';
  if (type !== 'float32' && !Object.hasOwn(quantizedBytes, String(type)))
    throw new UnsupportedModelError(`weight ${weight.name} is quantized as ${String(type)}, which tfjs-converter does not write`);
  return type as 'float32' | QuantizedType;
}

/** The bytes the weight takes in the weights files, from its manifest entry alone. */
export function tfjsWeightBytes(weight: ManifestWeight): number {
  const type = storedType(weight);
  const bytes = weight.shape.reduce((a, b) => a * b, 1) * (type === 'float32' ? 4 : quantizedBytes[type]);
  if (!Number.isSafeInteger(bytes)) throw new UnsupportedModelError(`weight ${weight.name} has an impossible shape`);
  return bytes;
}

/** The weight at `offset` in `data`, as float32 (the caller has checked that `data` holds it). */
export function decodeTfjsWeight(weight: ManifestWeight, data: Uint8Array, offset: number): Float32Array<ArrayBuffer> {
  const type = storedType(weight);
  const count = weight.shape.reduce((a, b) => a * b, 1);
  const quantization = weight.quantization;
  const byteLength = tfjsWeightBytes(weight);
  if (offset + byteLength > data.length) throw new UnsupportedModelError(`the weights files hold ${data.length} bytes, fewer than model.json lists`);
  const view = new DataView(data.buffer, data.byteOffset + offset, byteLength);
  const values = new Float32Array(count);
  if (type === 'float32') {
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  } else if (type === 'float16') {
    for (let i = 0; i < count; i++) values[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    const { scale, min } = quantization!;
    if (typeof scale !== 'number' || typeof min !== 'number' || !Number.isFinite(scale) || !Number.isFinite(min))
      throw new UnsupportedModelError(`weight ${weight.name} is quantized without a usable scale and min`);
    for (let i = 0; i < count; i++) values[i] = (type === 'uint8' ? view.getUint8(i) : view.getUint16(i * 2, true)) * scale + min;
  }
  return values;
}
