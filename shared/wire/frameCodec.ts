/**
 * Binary framing for API messages over a WebSocket: JSON for structure, raw bytes for typed
 * arrays, so a page of 200 thumbnails (156 KB of pixels) travels without base64 or number lists.
 *
 * Layout: [u32 little-endian JSON length][JSON UTF-8][padding to 8][typed-array bytes, each 8-aligned]
 */

const typedArrayTypes = {
  Uint8Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;

type TypedArrayName = keyof typeof typedArrayTypes;
type AnyTypedArray = InstanceType<(typeof typedArrayTypes)[TypedArrayName]>;

interface BinaryRef {
  $bin: TypedArrayName;
  offset: number;
  length: number;
}

const align8 = (n: number): number => (n + 7) & ~7;

function typedArrayName(value: unknown): TypedArrayName | undefined {
  for (const name of Object.keys(typedArrayTypes) as TypedArrayName[]) {
    if (value instanceof typedArrayTypes[name]) return name;
  }
  return undefined;
}

function isBinaryRef(value: unknown): value is BinaryRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Partial<BinaryRef>;
  return typeof ref.$bin === 'string' && Object.hasOwn(typedArrayTypes, ref.$bin) && Number.isInteger(ref.offset) && Number.isInteger(ref.length);
}

/** Encodes any JSON-like value whose leaves may be typed arrays. */
export function encodeFrame(value: unknown): Uint8Array {
  const chunks: AnyTypedArray[] = [];
  let binaryLength = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    const name = typedArrayName(v);
    if (!name) return v;
    const array = v as AnyTypedArray;
    const ref: BinaryRef = { $bin: name, offset: binaryLength, length: array.length };
    chunks.push(array);
    binaryLength = align8(binaryLength + array.byteLength);
    return ref;
  });
  const jsonBytes = new TextEncoder().encode(json ?? 'null');
  const binaryStart = align8(4 + jsonBytes.length);
  const frame = new Uint8Array(binaryStart + binaryLength);
  new DataView(frame.buffer).setUint32(0, jsonBytes.length, true);
  frame.set(jsonBytes, 4);
  let offset = binaryStart;
  for (const chunk of chunks) {
    frame.set(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset);
    offset = align8(offset + chunk.byteLength);
  }
  return frame;
}

/** Decodes a frame made by encodeFrame; throws a specific error for a truncated or garbled frame. */
export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new Error(`frame of ${frame.byteLength} bytes is too short for its header`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const jsonLength = view.getUint32(0, true);
  if (4 + jsonLength > frame.byteLength) {
    throw new Error(`frame says its JSON has ${jsonLength} bytes but only ${frame.byteLength - 4} follow`);
  }
  const json = new TextDecoder().decode(frame.subarray(4, 4 + jsonLength));
  const binaryStart = align8(4 + jsonLength);
  // Every reference is copied out, so many references to one region could multiply a frame's
  // size: together they may not claim more bytes than the frame holds.
  let unclaimed = Math.max(0, frame.byteLength - binaryStart);
  return JSON.parse(json, (_key, v: unknown) => {
    if (!isBinaryRef(v)) return v;
    const Type = typedArrayTypes[v.$bin];
    const start = binaryStart + v.offset;
    const byteLength = v.length * Type.BYTES_PER_ELEMENT;
    if (v.offset < 0 || v.length < 0 || start + byteLength > frame.byteLength) {
      throw new Error(`frame's ${v.$bin} of ${v.length} elements runs past the end of the frame`);
    }
    if (byteLength > unclaimed) {
      throw new Error(`frame's typed arrays claim more bytes than its ${frame.byteLength - binaryStart} bytes of binary data`);
    }
    unclaimed -= byteLength;
    // Copy: the source may be a pooled, unaligned Node Buffer.
    const bytes = frame.slice(start, start + byteLength);
    return new Type(bytes.buffer, 0, v.length);
  });
}
