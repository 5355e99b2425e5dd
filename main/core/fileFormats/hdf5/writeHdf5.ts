import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hdf5Cause, loadHdf5, type H5wasm } from './hdf5Library';

// Writes an HDF5 file with libhdf5 (h5wasm), from a tree of groups, string attributes and
// float32 datasets: what a Keras model file needs.

export interface Hdf5DatasetSpec {
  kind: 'dataset';
  shape: number[];
  values: Float32Array;
}

export interface Hdf5GroupSpec {
  kind: 'group';
  /** String attributes, and lists of them, written as fixed-length byte strings. An empty list is left out: HDF5 cannot write an attribute of no values, and Keras reads a missing one as empty. */
  attributes: [string, string | string[]][];
  children: [string, Hdf5GroupSpec | Hdf5DatasetSpec][];
}

type H5Group = InstanceType<H5wasm['Group']>;

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

function writeGroup(target: H5Group, spec: Hdf5GroupSpec): void {
  for (const [name, value] of spec.attributes) {
    // Fixed-length byte strings, as h5py writes Python's bytes and Keras its attributes.
    if (typeof value === 'string') target.create_attribute(name, value, null, `A${Math.max(1, utf8Length(value))}`);
    else if (value.length > 0) target.create_attribute(name, value, [value.length], `A${Math.max(1, ...value.map(utf8Length))}`);
  }
  for (const [name, child] of spec.children) {
    if (child.kind === 'group') writeGroup(target.create_group(name), child);
    else target.create_dataset({ name, data: child.values, shape: child.shape, dtype: '<f' });
  }
}

/** The bytes of an HDF5 file holding `root` (libhdf5 writes it to a temporary file, read back here). */
export async function writeHdf5(root: Hdf5GroupSpec): Promise<Uint8Array<ArrayBuffer>> {
  const library = await loadHdf5();
  const folder = mkdtempSync(join(tmpdir(), 'mnist-lab-hdf5-'));
  const path = join(folder, 'export.h5');
  try {
    const file = new library.File(path, 'w');
    try {
      writeGroup(file, root);
    } finally {
      file.close();
    }
    const bytes = readFileSync(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>;
  } catch (error) {
    throw new Error(`the HDF5 file could not be written: ${hdf5Cause(error)}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
