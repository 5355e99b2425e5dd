import { inflateRawSync } from 'node:zlib';
import { crc32 } from '../export/zipArchive';

// Reads the files of a zip archive held in memory (a `.keras` file, or tfjs' layers format
// zipped): stored or deflated entries, checked against their CRC. Sizes are bounded before
// anything is inflated, so a zip bomb is refused rather than filling memory.

export class ZipFormatError extends Error {}

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

const signatures = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50 };
const maxEntries = 1000;

/** The end-of-central-directory record: the last one in the file's final 64 KiB + 22 bytes. */
function findEnd(view: DataView): number {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === signatures.end) return at;
  }
  throw new ZipFormatError('not a zip archive: it has no end-of-archive record');
}

/** Every file in the archive (folders left out), refusing more than `maxTotalBytes` unpacked. */
export function readZip(bytes: Uint8Array, maxTotalBytes: number): ZipEntry[] {
  if (bytes.length < 22) throw new ZipFormatError('not a zip archive: too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view);
  const count = view.getUint16(end + 10, true);
  const centralSize = view.getUint32(end + 12, true);
  const centralAt = view.getUint32(end + 16, true);
  if (count === 0xffff || centralAt === 0xffffffff) throw new ZipFormatError('zip64 archives are not supported');
  if (count > maxEntries) throw new ZipFormatError(`the archive holds ${count} files; a model has a few`);
  if (centralAt + centralSize > end) throw new ZipFormatError('the archive\'s directory lies outside it: the file is truncated or damaged');
  const entries: ZipEntry[] = [];
  let total = 0;
  let at = centralAt;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== signatures.central) throw new ZipFormatError(`the archive's directory is damaged at entry ${i + 1}`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const packedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localAt = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > end) throw new ZipFormatError(`the archive's directory is damaged at entry ${i + 1}`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (flags & 0x01) throw new ZipFormatError(`${name} is encrypted`);
    total += size;
    if (total > maxTotalBytes) throw new ZipFormatError(`the archive unpacks to more than ${Math.round(maxTotalBytes / 2 ** 20)} MB`);
    if (localAt + 30 > bytes.length || view.getUint32(localAt, true) !== signatures.local) throw new ZipFormatError(`${name}: its local header is missing`);
    const dataAt = localAt + 30 + view.getUint16(localAt + 26, true) + view.getUint16(localAt + 28, true);
    if (dataAt + packedSize > bytes.length) throw new ZipFormatError(`${name} is truncated`);
    const packed = bytes.subarray(dataAt, dataAt + packedSize);
    let data: Uint8Array;
    if (method === 0) {
      data = packed;
    } else if (method === 8) {
      try {
        data = inflateRawSync(packed, { maxOutputLength: Math.max(1, size) });
      } catch (error) {
        throw new ZipFormatError(`${name} does not unpack: ${(error as Error).message}`);
      }
    } else {
      throw new ZipFormatError(`${name} is packed with method ${method}; only stored and deflated files can be read`);
    }
    if (data.length !== size) throw new ZipFormatError(`${name} unpacks to ${data.length} bytes, not the ${size} its directory says`);
    if (crc32(data) !== crc) throw new ZipFormatError(`${name} is damaged: its checksum does not match`);
    entries.push({ name, bytes: data });
  }
  return entries;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}
