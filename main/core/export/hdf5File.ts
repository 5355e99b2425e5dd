import { lookup3 } from './lookup3';

// A writer for the small part of HDF5 a Keras model file needs: groups, float32 datasets, and
// attributes holding fixed-length strings (one, or a list). It writes HDF5's newer layout
// (superblock version 2, version 2 object headers, links stored in their group's header), which
// every HDF5 library since 1.8 (2008) reads, h5py included.

export interface Hdf5Dataset {
  kind: 'dataset';
  shape: number[];
  values: Float32Array;
}

export interface Hdf5Group {
  kind: 'group';
  /** In the order they are written. */
  children: [string, Hdf5Node][];
  /** A string, or a list of strings (possibly empty). */
  attributes: [string, string | string[]][];
}

export type Hdf5Node = Hdf5Group | Hdf5Dataset;

const undefinedAddress = 0xffffffffffffffffn;
const superblockSize = 48;

class Bytes {
  private readonly parts: number[] = [];
  u8(value: number): this {
    this.parts.push(value & 0xff);
    return this;
  }
  u16(value: number): this {
    return this.u8(value).u8(value >> 8);
  }
  u32(value: number): this {
    return this.u16(value & 0xffff).u16(value >>> 16);
  }
  u64(value: number | bigint): this {
    const big = BigInt(value);
    return this.u32(Number(big & 0xffffffffn)).u32(Number(big >> 32n));
  }
  bytes(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.parts.push(values[i]!);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const ascii = (text: string) => new TextEncoder().encode(text);

const float32Type = () => new Bytes().u8(0x11).u8(0x20).u8(31).u8(0).u32(4).u16(0).u16(32).u8(23).u8(8).u8(0).u8(23).u32(127).done();
/** A fixed-length string type, null-padded, as numpy's 'S' strings are. */
const stringType = (size: number) => new Bytes().u8(0x13).u8(0x00).u8(0).u8(0).u32(size).done();
const dataspace = (shape: number[] | null) => {
  const space = new Bytes().u8(2).u8(shape ? shape.length : 0).u8(0).u8(shape ? 1 : 0);
  for (const size of shape ?? []) space.u64(size);
  return space.done();
};

interface Message {
  type: number;
  flags?: number;
  body: Uint8Array;
}

function attributeMessage(name: string, value: string | string[]): Message {
  const strings = (Array.isArray(value) ? value : [value]).map(ascii);
  const size = Math.max(1, ...strings.map((s) => s.length));
  const type = stringType(size);
  const space = dataspace(Array.isArray(value) ? [strings.length] : null);
  const nameBytes = ascii(name);
  const body = new Bytes().u8(3).u8(0).u16(nameBytes.length + 1).u16(type.length).u16(space.length).u8(0).bytes(nameBytes).u8(0).bytes(type).bytes(space);
  for (const s of strings) body.bytes(s).bytes(new Uint8Array(size - s.length));
  return { type: 0x0c, body: body.done() };
}

function objectHeader(messages: Message[]): Uint8Array {
  const content = new Bytes();
  for (const m of messages) content.u8(m.type).u16(m.body.length).u8(m.flags ?? 0).bytes(m.body);
  const header = new Bytes().bytes(ascii('OHDR')).u8(2).u8(0x02).u32(content.length).bytes(content.done());
  const bytes = header.done();
  return new Bytes().bytes(bytes).u32(lookup3(bytes)).done();
}

/** The object header of a group whose children are at `addresses`. */
function groupHeader(group: Hdf5Group, addresses: number[]): Uint8Array {
  const messages: Message[] = [
    { type: 0x02, body: new Bytes().u8(0).u8(0).u64(undefinedAddress).u64(undefinedAddress).done() },
    { type: 0x0a, body: new Bytes().u8(0).u8(0).done() },
  ];
  group.children.forEach(([name], i) => {
    const nameBytes = ascii(name);
    if (nameBytes.length > 255) throw new Error(`an HDF5 name of over 255 bytes: ${name.slice(0, 40)}…`);
    messages.push({ type: 0x06, body: new Bytes().u8(1).u8(0).u8(nameBytes.length).bytes(nameBytes).u64(addresses[i]!).done() });
  });
  for (const [name, value] of group.attributes) messages.push(attributeMessage(name, value));
  return objectHeader(messages);
}

function datasetHeader(dataset: Hdf5Dataset, dataAddress: number): Uint8Array {
  const size = dataset.values.length * 4;
  return objectHeader([
    { type: 0x03, flags: 1, body: float32Type() },
    { type: 0x01, body: dataspace(dataset.shape) },
    { type: 0x05, flags: 1, body: new Bytes().u8(3).u8(0x0a).done() },
    { type: 0x08, body: new Bytes().u8(3).u8(1).u64(size ? dataAddress : undefinedAddress).u64(size).done() },
  ]);
}

/**
 * The file's bytes. Headers are laid out first, in depth-first order, then every dataset's
 * values; a header's size does not depend on the addresses in it, so one pass sizes them all.
 */
export function writeHdf5(root: Hdf5Group): Uint8Array<ArrayBuffer> {
  const nodes: Hdf5Node[] = [];
  const visit = (node: Hdf5Node) => {
    nodes.push(node);
    if (node.kind === 'group') for (const [, child] of node.children) visit(child);
  };
  visit(root);
  const placeholder = (node: Hdf5Node) => (node.kind === 'group' ? groupHeader(node, node.children.map(() => 0)) : datasetHeader(node, 0));
  const headerAddress = new Map<Hdf5Node, number>();
  let offset = superblockSize;
  for (const node of nodes) {
    headerAddress.set(node, offset);
    offset += placeholder(node).length;
  }
  const dataAddress = new Map<Hdf5Dataset, number>();
  for (const node of nodes) {
    if (node.kind !== 'dataset') continue;
    dataAddress.set(node, offset);
    offset += node.values.length * 4;
  }
  const file = new Uint8Array(offset);
  const superblock = new Bytes().bytes([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]).u8(2).u8(8).u8(8).u8(0).u64(0).u64(undefinedAddress).u64(offset).u64(headerAddress.get(root)!).done();
  file.set(new Bytes().bytes(superblock).u32(lookup3(superblock)).done(), 0);
  for (const node of nodes) {
    const header = node.kind === 'group' ? groupHeader(node, node.children.map(([, child]) => headerAddress.get(child)!)) : datasetHeader(node, dataAddress.get(node)!);
    file.set(header, headerAddress.get(node)!);
    if (node.kind === 'dataset') file.set(new Uint8Array(node.values.buffer, node.values.byteOffset, node.values.byteLength), dataAddress.get(node)!);
  }
  return file;
}
