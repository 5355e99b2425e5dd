import { pixelsPerImage } from '../../../shared/mnist';

import { createGunzip } from 'node:zlib';

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

/** The most images (or labels) one file may hold: EMNIST ByClass, the largest MNIST-like set, has 697,932. */
export const maxIdxItems = 800_000;
/** The largest IDX file, unpacked: 800,000 images of 28×28 and a header. */
export const maxIdxBytes = 16 + maxIdxItems * pixelsPerImage;

const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * The exact length an IDX file must have, read from its first bytes; null while fewer bytes than
 * the header are known. Throws for an unknown magic number, an implausible image size, or more
 * items or bytes than MNIST Lab holds, so a hostile header is refused before its body is read.
 */
export function idxLengthFromHeader(bytes: Uint8Array, fileName: string): number | null {
  if (bytes.length < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const count = view.getUint32(4, false);
  if (magic !== imagesMagic && magic !== labelsMagic) {
    throw new IdxFormatError(
      fileName,
      `magic number ${magic} (0x${magic.toString(16).padStart(8, '0')}) is neither ${imagesMagic} (images) nor ${labelsMagic} (labels)`,
    );
  }
  const what = magic === imagesMagic ? 'images' : 'labels';
  if (count > maxIdxItems) {
    throw new IdxFormatError(
      fileName,
      `header promises ${count.toLocaleString('en-US')} ${what}; MNIST Lab holds at most ${maxIdxItems.toLocaleString('en-US')} per file`,
    );
  }
  if (magic === labelsMagic) return 8 + count;
  if (bytes.length < 16) return null;
  const rows = view.getUint32(8, false);
  const columns = view.getUint32(12, false);
  if (rows === 0 || columns === 0 || rows > 1024 || columns > 1024) {
    throw new IdxFormatError(fileName, `implausible image size ${rows}×${columns}`);
  }
  const length = 16 + count * rows * columns;
  if (length > maxIdxBytes) {
    throw new IdxFormatError(
      fileName,
      `header promises ${count} images of ${rows}×${columns} (${length} bytes); MNIST Lab reads at most ${maxIdxBytes} bytes per file`,
    );
  }
  return length;
}

/**
 * Unpacks gzip (recognised by its magic bytes, whatever the file is called); plain bytes pass
 * through. It streams on zlib's thread pool, not the event loop, and stops as soon as the output
 * passes the length its IDX header promises: a small gzip bomb costs no more than an honest file.
 */
export function maybeGunzip(bytes: Uint8Array, fileName: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return Promise.resolve(bytes);
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    let limit: number | null = null;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      reject(error);
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      total += chunk.length;
      try {
        limit ??= idxLengthFromHeader(chunks.length === 1 ? chunk : Buffer.concat(chunks, total), fileName);
      } catch (error) {
        return fail(error as Error);
      }
      if (total > (limit ?? maxIdxBytes)) fail(new IdxFormatError(fileName, `unpacks to more than the ${limit ?? maxIdxBytes} bytes its header promises`));
    });
    gunzip.on('error', (error) => fail(new IdxFormatError(fileName, `not a valid gzip file (${error.message})`)));
    gunzip.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(new Uint8Array(Buffer.concat(chunks, total)));
    });
    gunzip.end(bytes);
  });
}

/**
 * Parses an IDX file of images (magic 2051) or labels (magic 2049), checking the header and the
 * exact length. The returned arrays view `bytes` without copying.
 */
export function parseIdx(bytes: Uint8Array, fileName: string): IdxImages | IdxLabels {
  const expected = idxLengthFromHeader(bytes, fileName);
  if (expected === null) throw new IdxFormatError(fileName, `only ${bytes.length} bytes, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const count = view.getUint32(4, false);
  if (magic === labelsMagic) {
    if (bytes.length !== expected) {
      throw new IdxFormatError(fileName, `header promises ${count} labels (${expected} bytes) but the file has ${bytes.length} bytes`);
    }
    return { kind: 'labels', count, labels: bytes.subarray(8) };
  }
  const rows = view.getUint32(8, false);
  const columns = view.getUint32(12, false);
  if (bytes.length !== expected) {
    throw new IdxFormatError(fileName, `header promises ${count} images of ${rows}×${columns} (${expected} bytes) but the file has ${bytes.length} bytes`);
  }
  return { kind: 'images', count, rows, columns, pixels: bytes.subarray(16) };
}

export async function parseIdxImages(bytes: Uint8Array, fileName: string): Promise<IdxImages> {
  const parsed = parseIdx(await maybeGunzip(bytes, fileName), fileName);
  if (parsed.kind !== 'images') throw new IdxFormatError(fileName, `holds labels (magic ${labelsMagic}), expected images (magic ${imagesMagic})`);
  return parsed;
}

/** Parses a label file and checks every label is a digit 0–9. */
export async function parseIdxLabels(bytes: Uint8Array, fileName: string): Promise<IdxLabels> {
  const parsed = parseIdx(await maybeGunzip(bytes, fileName), fileName);
  if (parsed.kind !== 'labels') throw new IdxFormatError(fileName, `holds images (magic ${imagesMagic}), expected labels (magic ${labelsMagic})`);
  const bad = parsed.labels.findIndex((label) => label > 9);
  if (bad >= 0) throw new IdxFormatError(fileName, `label ${parsed.labels[bad]} at index ${bad} is not a digit 0–9`);
  return parsed;
}
