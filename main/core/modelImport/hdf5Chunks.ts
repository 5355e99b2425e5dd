import { inflateSync } from 'node:zlib';
import { walkBtreeV1 } from './hdf5Btree';
import { Hdf5FormatError, readNumber, type NumberType, type Reader } from './hdf5Bytes';

// Chunked datasets, as h5py writes them when asked to compress (compression='gzip', shuffle):
// the chunks are found through a version 1 B-tree, each is undone through the filter pipeline
// (deflate, shuffle, Fletcher-32) and copied into place. Keras itself never compresses, but
// files that pass through other tools may be.

export interface Filter {
  id: number;
  /** Filters a chunk skips are marked in its filter mask by their position here. */
  clientData: number[];
}

const filterIds = { deflate: 1, shuffle: 2, fletcher32: 3 } as const;
const filterNames: Record<number, string> = { 4: 'szip', 5: 'N-bit', 6: 'scale-offset', 32000: 'LZF', 32001: 'Blosc', 32004: 'LZ4', 32015: 'Zstandard' };

/** The filter pipeline message (version 1 or 2). */
export function readFilterPipeline(reader: Reader, at: number): Filter[] {
  const version = reader.u8(at);
  if (version !== 1 && version !== 2) throw new Hdf5FormatError(`filter pipeline version ${version} is unknown`);
  const count = reader.u8(at + 1);
  let p = at + (version === 1 ? 8 : 2);
  const filters: Filter[] = [];
  for (let f = 0; f < count; f++) {
    const id = reader.u16(p);
    const hasName = version === 1 || id >= 256;
    const nameLength = hasName ? reader.u16(p + 2) : 0;
    p += hasName ? 4 : 2;
    const values = reader.u16(p + 2);
    p += 4;
    // Version 1 pads the name to a multiple of 8 bytes and the client data to an even count.
    p += version === 1 ? Math.ceil(nameLength / 8) * 8 : nameLength;
    const clientData = Array.from({ length: values }, (_, i) => reader.u32(p + i * 4));
    p += values * 4 + (version === 1 && values % 2 === 1 ? 4 : 0);
    filters.push({ id, clientData });
  }
  return filters;
}

function unshuffle(bytes: Uint8Array, elementSize: number): Uint8Array {
  const count = Math.floor(bytes.length / elementSize);
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < elementSize; b++) for (let i = 0; i < count; i++) out[i * elementSize + b] = bytes[b * count + i]!;
  out.set(bytes.subarray(count * elementSize), count * elementSize);
  return out;
}

/** A chunk's bytes as written, undone through the pipeline in reverse, skipping what its mask says was skipped. */
function unfilter(bytes: Uint8Array, filters: Filter[], mask: number, chunkBytes: number): Uint8Array {
  let data = bytes;
  for (let f = filters.length - 1; f >= 0; f--) {
    if (mask & (1 << f)) continue;
    const filter = filters[f]!;
    if (filter.id === filterIds.deflate) {
      try {
        data = inflateSync(data, { maxOutputLength: Math.max(1, chunkBytes) });
      } catch (error) {
        throw new Hdf5FormatError(`a compressed chunk does not unpack: ${(error as Error).message}`);
      }
    } else if (filter.id === filterIds.shuffle) {
      data = unshuffle(data, filter.clientData[0] ?? 1);
    } else if (filter.id === filterIds.fletcher32) {
      data = data.subarray(0, Math.max(0, data.length - 4));
    } else {
      throw new Hdf5FormatError(`weights compressed with ${filterNames[filter.id] ?? `filter ${filter.id}`} cannot be read; save them with gzip or without compression`);
    }
  }
  return data;
}

/**
 * The values of a chunked dataset of `shape`, whose chunks of `chunkShape` are indexed by the
 * version 1 B-tree at `btree`. A crafted tree cannot make it do more work than the chunks the
 * shape has: more chunks than that are refused.
 */
export function readChunkedValues(reader: Reader, btree: number, chunkShape: number[], shape: number[], type: NumberType, filters: Filter[]): Float32Array<ArrayBuffer> {
  const rank = shape.length;
  if (chunkShape.length !== rank || chunkShape.some((d) => d < 1)) throw new Hdf5FormatError('a chunked dataset\'s chunks do not match its shape');
  const count = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(count);
  if (count === 0) return values;
  const chunkCount = chunkShape.reduce((a, b) => a * b, 1);
  const chunkBytes = chunkCount * type.size;
  const maxChunks = shape.reduce((n, d, i) => n * Math.ceil(d / chunkShape[i]!), 1);
  // A chunk key: its size in bytes, its filter mask, then its offset in each dimension and one more for the element.
  const keySize = 8 + 8 * (rank + 1);
  let chunksRead = 0;

  const copyChunk = (data: Uint8Array, offsets: number[]) => {
    if (data.length < chunkBytes) throw new Hdf5FormatError(`a chunk holds ${data.length} bytes, its shape needs ${chunkBytes}`);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const position = new Array<number>(rank).fill(0);
    for (let i = 0; i < chunkCount; i++) {
      // position is this element's place in the chunk; it lands in the dataset at offsets + position.
      let target = 0;
      let inside = true;
      for (let d = 0; d < rank; d++) {
        const coordinate = offsets[d]! + position[d]!;
        if (coordinate >= shape[d]!) inside = false;
        target = target * shape[d]! + coordinate;
      }
      if (inside) values[target] = readNumber(view, type, i * type.size);
      for (let d = rank - 1; d >= 0 && ++position[d]! === chunkShape[d]; d--) position[d] = 0;
    }
  };

  walkBtreeV1(reader, btree, 1, keySize, (key, chunk) => {
    if (++chunksRead > maxChunks) throw new Hdf5FormatError(`a dataset lists more than the ${maxChunks} chunks its shape has`);
    const size = reader.u32(key);
    const mask = reader.u32(key + 4);
    const offsets = Array.from({ length: rank }, (_, d) => Number(reader.uint(key + 8 + d * 8, 8) ?? -1));
    if (offsets.some((o, d) => o < 0 || o >= shape[d]! || o % chunkShape[d]! !== 0)) throw new Hdf5FormatError('a chunk lies outside its dataset');
    reader.check(chunk, size, 'a chunk');
    copyChunk(unfilter(reader.bytes.subarray(chunk, chunk + size), filters, mask, chunkBytes), offsets);
  });
  return values;
}
