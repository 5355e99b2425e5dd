import { halfToFloat } from './halfFloat';

// The bytes of an HDF5 file as its parts read them: little-endian fields of the sizes the
// superblock sets, addresses made absolute, and every read checked against the file's end.

export class Hdf5FormatError extends Error {}

const decoder = new TextDecoder('utf-8', { fatal: false });
export const utf8 = (bytes: Uint8Array) => decoder.decode(bytes);

/** A numeric datatype, as far as values of it are decoded. */
export interface NumberType {
  kind: 'integer' | 'float';
  size: number;
  signed?: boolean;
  bigEndian: boolean;
}

export class Reader {
  readonly view: DataView;
  offsetSize = 8;
  lengthSize = 8;
  baseAddress = 0;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  check(at: number, size: number, what: string): void {
    if (!Number.isSafeInteger(at) || at < 0 || size < 0 || at + size > this.bytes.length) {
      throw new Hdf5FormatError(`the file is truncated or damaged: ${what} at byte ${at} runs past its end (${this.bytes.length} bytes)`);
    }
  }
  u8(at: number): number {
    this.check(at, 1, 'a field');
    return this.bytes[at]!;
  }
  u16(at: number): number {
    this.check(at, 2, 'a field');
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    this.check(at, 4, 'a field');
    return this.view.getUint32(at, true);
  }
  /** An unsigned little-endian number of `size` bytes; null for the undefined address (all ones). */
  uint(at: number, size: number): number | null {
    this.check(at, size, 'a field');
    let allOnes = true;
    let value = 0;
    for (let i = size - 1; i >= 0; i--) {
      const byte = this.bytes[at + i]!;
      if (byte !== 0xff) allOnes = false;
      value = value * 256 + byte;
    }
    if (allOnes) return null;
    if (!Number.isSafeInteger(value)) throw new Hdf5FormatError(`a size or address at byte ${at} is too large for this file`);
    return value;
  }
  length(at: number): number {
    const value = this.uint(at, this.lengthSize);
    if (value === null) throw new Hdf5FormatError(`an undefined length at byte ${at}`);
    return value;
  }
  /** A file address, made absolute; null when undefined. */
  address(at: number): number | null {
    const value = this.uint(at, this.offsetSize);
    return value === null ? null : value + this.baseAddress;
  }
  requireAddress(at: number, what: string): number {
    const value = this.address(at);
    if (value === null) throw new Hdf5FormatError(`${what} has no address`);
    return value;
  }
  ascii(at: number, size: number): string {
    this.check(at, size, 'a signature');
    return String.fromCharCode(...this.bytes.subarray(at, at + size));
  }
  expectSignature(at: number, expected: string, what: string): void {
    if (this.ascii(at, expected.length) !== expected) throw new Hdf5FormatError(`${what} at byte ${at} lacks its "${expected}" signature`);
  }
  /** A null-terminated string starting at `at`, within `end`. */
  cString(at: number, end: number): string {
    this.check(at, 0, 'a name');
    const stop = Math.min(end, this.bytes.length);
    let i = at;
    while (i < stop && this.bytes[i] !== 0) i++;
    if (i >= stop) throw new Hdf5FormatError(`a name at byte ${at} is not terminated`);
    return utf8(this.bytes.subarray(at, i));
  }
}

/** One number of `type` at `at` in `view`. */
export function readNumber(view: DataView, type: NumberType, at: number): number {
  const le = !type.bigEndian;
  if (type.kind === 'float') {
    if (type.size === 4) return view.getFloat32(at, le);
    if (type.size === 8) return view.getFloat64(at, le);
    if (type.size === 2) return halfToFloat(view.getUint16(at, le));
    throw new Hdf5FormatError(`${type.size * 8}-bit floats cannot be read`);
  }
  switch (type.size) {
    case 1:
      return type.signed ? view.getInt8(at) : view.getUint8(at);
    case 2:
      return type.signed ? view.getInt16(at, le) : view.getUint16(at, le);
    case 4:
      return type.signed ? view.getInt32(at, le) : view.getUint32(at, le);
    case 8:
      return Number(type.signed ? view.getBigInt64(at, le) : view.getBigUint64(at, le));
    default:
      throw new Hdf5FormatError(`${type.size}-byte integers cannot be read`);
  }
}
