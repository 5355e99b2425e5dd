import { crc32 } from 'node:zlib';
import { unzipSync, type UnzipFileInfo } from 'fflate';

// Reads the files of a zip archive held in memory (a `.keras` file, or tfjs' layers format
// zipped) with fflate. Each entry's size is checked against the limits before it is inflated, into
// a buffer of exactly the size the archive's directory states, so a zip bomb is refused rather
// than filling memory; each entry is then checked against the CRC-32 in the directory, which
// fflate does not check.

export class ZipFormatError extends Error {}

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

const maxEntries = 1000;
const signatures = { central: 0x02014b50, end: 0x06054b50 };

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Each entry's CRC-32 by name, from the central directory fflate has already walked without error. */
function directoryChecksums(bytes: Uint8Array): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end > 0 && view.getUint32(end, true) !== signatures.end) end--;
  const checksums = new Map<string, number>();
  let at = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0 && at + 46 <= bytes.length && view.getUint32(at, true) === signatures.central; i--) {
    const nameLength = view.getUint16(at + 28, true);
    checksums.set(new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)), view.getUint32(at + 16, true));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return checksums;
}

/** Every file in the archive (folders left out), refusing more than `maxTotalBytes` unpacked. */
export function readZip(bytes: Uint8Array, maxTotalBytes: number): ZipEntry[] {
  if (bytes.length < 22) throw new ZipFormatError('not a zip archive: too short');
  let total = 0;
  let count = 0;
  const admit = (file: UnzipFileInfo): boolean => {
    if (++count > maxEntries) throw new ZipFormatError(`the archive holds more than ${maxEntries} files; a model has a few`);
    if (file.name.endsWith('/')) return false;
    if (file.compression !== 0 && file.compression !== 8)
      throw new ZipFormatError(`${file.name} is packed with method ${file.compression}; only stored and deflated files can be read`);
    total += file.originalSize;
    if (total > maxTotalBytes) throw new ZipFormatError(`the archive unpacks to more than ${Math.round(maxTotalBytes / 2 ** 20)} MB`);
    return true;
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: admit });
  } catch (error) {
    if (error instanceof ZipFormatError) throw error;
    throw new ZipFormatError(`not a zip archive, or a damaged one: ${(error as Error).message}`);
  }
  const checksums = directoryChecksums(bytes);
  return Object.entries(files).map(([name, data]) => {
    if (crc32(data) !== checksums.get(name)) throw new ZipFormatError(`${name} is damaged: its checksum does not match`);
    return { name, bytes: data };
  });
}
