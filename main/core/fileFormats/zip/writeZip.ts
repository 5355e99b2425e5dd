import { zipSync } from 'fflate';

/** A zip archive of the given files, deflated, each with its CRC-32 (fflate computes them). */
export function writeZip(files: { name: string; bytes: Uint8Array }[]): Uint8Array<ArrayBuffer> {
  return zipSync(Object.fromEntries(files.map((file) => [file.name, file.bytes])), {
    level: 6,
    mtime: new Date('2026-01-01T00:00:00Z'),
  }) as Uint8Array<ArrayBuffer>;
}
