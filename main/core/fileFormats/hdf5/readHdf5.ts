import { halfToFloat } from '../tfjsLayers/halfFloat';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hdf5Cause, hdf5MemoryBytes, limitHdf5Memory, loadHdf5, type H5wasm } from './hdf5Library';

// HDF5 files read with libhdf5 (h5wasm): every layout h5py and Keras write, the oldest and
// `libver='latest'` alike (dense link and attribute storage, v2 B-trees, fractal heaps),
// compact, contiguous or chunked data, gzip, shuffle and Fletcher-32. Shapes are there to look
// at for free; a dataset's values are read only when asked for, after the caller has compared its
// shape with what it expects, and libhdf5's memory may then grow only by what that read needs.

export class Hdf5FormatError extends Error {}

export type Hdf5Attribute = string | number | (string | number)[];

export interface Hdf5Dataset {
  kind: 'dataset';
  shape: number[];
  /** The values as float32; a dataset that is not of floats is refused. */
  read(): Float32Array<ArrayBuffer>;
}

export interface Hdf5Group {
  kind: 'group';
  attribute(name: string): Hdf5Attribute | null;
  attributeNames(): string[];
  /** A member by name, or by a path of names below this group (`dense/kernel:0`). */
  child(path: string): Hdf5Node | null;
  childNames(): string[];
}

export type Hdf5Node = Hdf5Group | Hdf5Dataset;

export interface Hdf5File {
  root: Hdf5Group;
  close(): void;
}

const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** What libhdf5 may allocate besides a read's own values: its chunk cache (1 MiB) and filter buffers. */
const readSlackBytes = 16 * 1024 * 1024;
/** What libhdf5 may hold while a file is open and no values are being read: enough for its metadata (attributes included). */
let metadataLimit = Infinity;

/** HDF5's 8-byte signature at the file's start (where h5py and Keras write it). */
export function startsLikeHdf5(bytes: Uint8Array): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

/** Runs one libhdf5 call, turning whatever it throws into an Hdf5FormatError that says what libhdf5 found. */
function guarded<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof Hdf5FormatError) throw error;
    throw new Hdf5FormatError(`the file is truncated or damaged: ${what} cannot be read (libhdf5: ${hdf5Cause(error)})`);
  }
}

function attributeValue(value: unknown): Hdf5Attribute | null {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    if (items.every((item) => typeof item === 'string' || typeof item === 'number')) return items as (string | number)[];
  }
  return null;
}

type H5Group = InstanceType<H5wasm['Group']>;
type H5Dataset = InstanceType<H5wasm['Dataset']>;

/** The filters libhdf5 here undoes: deflate (gzip), shuffle, Fletcher-32, n-bit and scale-offset. */
const readableFilters = new Set([1, 2, 3, 5, 6]);
const filterNames: Record<number, string> = { 4: 'szip', 32000: 'LZF', 32001: 'Blosc', 32004: 'LZ4', 32008: 'bitshuffle', 32015: 'Zstandard' };

function floatValues(library: H5wasm, dataset: H5Dataset, path: string): Float32Array<ArrayBuffer> {
  const metadata = guarded(`dataset ${path}`, () => dataset.metadata);
  for (const filter of guarded(`dataset ${path}`, () => dataset.filters)) {
    if (!readableFilters.has(filter.id)) {
      throw new Hdf5FormatError(
        `weights compressed with ${filterNames[filter.id] ?? `filter ${filter.id}`} cannot be read; save them with gzip or without compression`,
      );
    }
  }
  if (metadata.type !== library.Module.H5T_class_t.H5T_FLOAT.value) throw new Hdf5FormatError(`dataset ${path} does not hold floating-point numbers`);
  const count = metadata.total_size;
  limitHdf5Memory(Math.max(metadataLimit, hdf5MemoryBytes() + count * metadata.size * 2 + readSlackBytes));
  try {
    if (metadata.size === 2) {
      // h5wasm has no float16 reader: read the raw halves and widen them here.
      const { Module } = library;
      const pointer = Module._malloc(count * 2);
      if (pointer === 0) throw new Hdf5FormatError(`dataset ${path} does not fit in memory`);
      try {
        guarded(`dataset ${path}`, () => Module.get_dataset_data(dataset.file_id, path, null, null, null, BigInt(pointer)));
        const halves = new Uint16Array(Module.HEAPU8.slice(pointer, pointer + count * 2).buffer);
        return Float32Array.from(halves, halfToFloat);
      } finally {
        Module._free(pointer);
      }
    }
    const values = guarded(`dataset ${path}`, () => dataset.value);
    if (values instanceof Float32Array) return values as Float32Array<ArrayBuffer>;
    if (values instanceof Float64Array) return Float32Array.from(values);
    throw new Hdf5FormatError(`dataset ${path} holds ${metadata.size}-byte floats, which cannot be read`);
  } finally {
    limitHdf5Memory(metadataLimit);
  }
}

function wrapGroup(library: H5wasm, group: H5Group): Hdf5Group {
  return {
    kind: 'group',
    attribute: (name) => {
      const attributes = guarded(`the attributes of ${group.path}`, () => group.attrs);
      if (!Object.hasOwn(attributes, name)) return null;
      return attributeValue(guarded(`attribute ${name}`, () => attributes[name]!.value));
    },
    attributeNames: () => Object.keys(guarded(`the attributes of ${group.path}`, () => group.attrs)),
    childNames: () => guarded(`the members of ${group.path}`, () => group.keys()),
    child: (path) => {
      const node = guarded(`${group.path}/${path}`, () => group.get(path));
      if (node instanceof library.Group) return wrapGroup(library, node);
      if (node instanceof library.Dataset) {
        const shape = guarded(`dataset ${node.path}`, () => node.shape);
        return { kind: 'dataset', shape: shape ? shape.map(Number) : [], read: () => floatValues(library, node, node.path) };
      }
      return null;
    },
  };
}

/** Opens an HDF5 file held in memory; close it when done (libhdf5 reads it from a temporary file). */
export async function openHdf5(bytes: Uint8Array): Promise<Hdf5File> {
  if (!startsLikeHdf5(bytes)) throw new Hdf5FormatError('not an HDF5 file: it lacks the HDF5 signature');
  const library = await loadHdf5();
  const folder = mkdtempSync(join(tmpdir(), 'mnist-lab-hdf5-'));
  const path = join(folder, 'model.h5');
  const release = () => {
    rmSync(folder, { recursive: true, force: true });
    limitHdf5Memory((metadataLimit = Infinity));
  };
  try {
    writeFileSync(path, bytes);
    // The file itself lives outside libhdf5's memory; its metadata cannot need more than twice its size.
    metadataLimit = hdf5MemoryBytes() + 2 * bytes.length + readSlackBytes;
    limitHdf5Memory(metadataLimit);
    const file = guarded('its superblock', () => new library.File(path, 'r'));
    if (file.file_id < 0n) throw new Hdf5FormatError('the file is truncated or damaged: libhdf5 cannot open it');
    return {
      root: wrapGroup(library, file),
      close: () => {
        try {
          file.close();
        } catch {
          // A file libhdf5 could not make sense of may not close cleanly either; it is dropped all the same.
        }
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
