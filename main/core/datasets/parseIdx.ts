import { gunzipSync } from 'node:zlib';

/** IDX magic numbers: 0x00000803 (unsigned bytes, 3 dimensions) and 0x00000801 (1 dimension). */
export const imagesMagic = 2051;
export const labelsMagic = 2049;

export interface IdxImages {
  kind: 'images';
  count: number;
  rows: number;
  columns: number;
  /** count × rows × columns bytes, 0–255. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  kind: 'labels';
  count: number;
  labels: Uint8Array;
}

/** A problem with one dataset file; the message starts with the file's name. */
export class IdxFormatError extends Error {
  constructor(fileName: string, problem: string) {
    super(`${fileName}: ${problem}`);
    this.name = 'IdxFormatError';
  }
}

const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Unpacks gzip (recognised by its magic bytes, whatever the file is called); plain bytes pass through. */
export function maybeGunzip(bytes: Uint8Array, fileName: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch (error) {
    throw new IdxFormatError(fileName, `not a valid gzip file (${(error as Error).message})`);
  }
}

/**
 * Parses an IDX file of images (magic 2051) or labels (magic 2049), checking the header and the
 * exact length. The returned arrays view `bytes` without copying.
 */
export function parseIdx(bytes: Uint8Array, fileName: string): IdxImages | IdxLabels {
  if (bytes.length < 8) throw new IdxFormatError(fileName, `only ${bytes.length} bytes, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const count = view.getUint32(4, false);
  if (magic === labelsMagic) {
    const expected = 8 + count;
    if (bytes.length !== expected) {
      throw new IdxFormatError(fileName, `header promises ${count} labels (${expected} bytes) but the file has ${bytes.length} bytes`);
    }
    return { kind: 'labels', count, labels: bytes.subarray(8) };
  }
  if (magic === imagesMagic) {
    if (bytes.length < 16) throw new IdxFormatError(fileName, `only ${bytes.length} bytes, too short for an image-file header`);
    const rows = view.getUint32(8, false);
    const columns = view.getUint32(12, false);
    if (rows === 0 || columns === 0 || rows > 1024 || columns > 1024) {
      throw new IdxFormatError(fileName, `implausible image size ${rows}×${columns}`);
    }
    const expected = 16 + count * rows * columns;
    if (bytes.length !== expected) {
      throw new IdxFormatError(
        fileName,
        `header promises ${count} images of ${rows}×${columns} (${expected} bytes) but the file has ${bytes.length} bytes`,
      );
    }
    return { kind: 'images', count, rows, columns, pixels: bytes.subarray(16) };
  }
  throw new IdxFormatError(
    fileName,
    `magic number ${magic} (0x${magic.toString(16).padStart(8, '0')}) is neither ${imagesMagic} (images) nor ${labelsMagic} (labels)`,
  );
}

export function parseIdxImages(bytes: Uint8Array, fileName: string): IdxImages {
  const parsed = parseIdx(maybeGunzip(bytes, fileName), fileName);
  if (parsed.kind !== 'images') throw new IdxFormatError(fileName, `holds labels (magic ${labelsMagic}), expected images (magic ${imagesMagic})`);
  return parsed;
}

/** Parses a label file and checks every label is a digit 0–9. */
export function parseIdxLabels(bytes: Uint8Array, fileName: string): IdxLabels {
  const parsed = parseIdx(maybeGunzip(bytes, fileName), fileName);
  if (parsed.kind !== 'labels') throw new IdxFormatError(fileName, `holds images (magic ${imagesMagic}), expected labels (magic ${labelsMagic})`);
  const bad = parsed.labels.findIndex((label) => label > 9);
  if (bad >= 0) throw new IdxFormatError(fileName, `label ${parsed.labels[bad]} at index ${bad} is not a digit 0–9`);
  return parsed;
}
