import { Hdf5FormatError, readNumber, Reader, utf8, type NumberType } from './hdf5Bytes';
import { walkBtreeV1 } from './hdf5Btree';
import { readChunkedValues, readFilterPipeline } from './hdf5Chunks';

export { Hdf5FormatError };

// A reader for the part of HDF5 that model files use: groups (symbol tables, as h5py writes them
// by default, and links in the header, as HDF5 1.8+ and our own writer do), attributes holding
// strings or numbers (fixed-length or variable-length, in the global heap), and float datasets
// stored contiguously, compactly or in chunks (hdf5Chunks.ts). Every read is bounds-checked: a
// damaged or hostile file gives an Hdf5FormatError naming what is wrong, never a crash or a
// runaway loop.

const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** Limits that no model file comes near, so a crafted file cannot make the reader loop or recurse without end. */
const limits = { messagesPerObject: 10_000, continuationBlocks: 1_000, groupMembers: 100_000, globalHeapObjects: 1_000_000 };

const messageTypes = {
  dataspace: 0x01,
  linkInfo: 0x02,
  datatype: 0x03,
  link: 0x06,
  layout: 0x08,
  filterPipeline: 0x0b,
  attribute: 0x0c,
  continuation: 0x10,
  symbolTable: 0x11,
  attributeInfo: 0x15,
} as const;

interface Message {
  type: number;
  flags: number;
  /** Where the message body starts, and its size. */
  at: number;
  size: number;
}

/** A datatype, as far as the reader decodes values of it. */
type Datatype =
  | NumberType
  | { kind: 'string'; size: number; spacePadded: boolean }
  | { kind: 'vlen-string' }
  | { kind: 'other'; description: string; size: number };

/** An attribute's or a dataset's value as the reader returns it. */
export type Hdf5Value = string | string[] | number | number[];

export interface Hdf5Dataset {
  kind: 'dataset';
  shape: number[];
  /** The values as float32, converted from whatever float or integer type they are stored in. */
  read(): Float32Array<ArrayBuffer>;
}

export interface Hdf5Group {
  kind: 'group';
  /** Child names in the order the file keeps them (alphabetical for symbol-table groups). */
  childNames(): string[];
  child(name: string): Hdf5Group | Hdf5Dataset | null;
  attributeNames(): string[];
  /** An attribute's value; null when there is no such attribute. */
  attribute(name: string): Hdf5Value | null;
}

export type Hdf5Node = Hdf5Group | Hdf5Dataset;

/** Whether the bytes begin like an HDF5 file (one without a user block in front). */
export function startsLikeHdf5(bytes: Uint8Array): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

function findSuperblock(reader: Reader): number {
  // The superblock sits at 0 or, after a user block, at 512, 1024, 2048, ….
  for (let at = 0; at + 8 <= reader.bytes.length; at = at === 0 ? 512 : at * 2) {
    if (signature.every((byte, i) => reader.bytes[at + i] === byte)) return at;
  }
  throw new Hdf5FormatError('not an HDF5 file: no HDF5 signature found');
}

/** Reads the superblock; returns the root group's object header address. */
function readSuperblock(reader: Reader): number {
  const at = findSuperblock(reader);
  const version = reader.u8(at + 8);
  if (version === 0 || version === 1) {
    reader.offsetSize = reader.u8(at + 13);
    reader.lengthSize = reader.u8(at + 14);
    checkSizes(reader);
    const addresses = at + (version === 0 ? 24 : 28);
    reader.baseAddress = reader.uint(addresses, reader.offsetSize) ?? 0;
    // Then the free-space, end-of-file and driver addresses, then the root's symbol table entry.
    const rootEntry = addresses + 4 * reader.offsetSize;
    return reader.requireAddress(rootEntry + reader.offsetSize, 'the root group');
  }
  if (version === 2 || version === 3) {
    reader.offsetSize = reader.u8(at + 9);
    reader.lengthSize = reader.u8(at + 10);
    checkSizes(reader);
    reader.baseAddress = reader.uint(at + 12, reader.offsetSize) ?? 0;
    return reader.requireAddress(at + 12 + 3 * reader.offsetSize, 'the root group');
  }
  throw new Hdf5FormatError(`HDF5 superblock version ${version} is not one this reader knows (0 to 3)`);
}

function checkSizes(reader: Reader): void {
  for (const size of [reader.offsetSize, reader.lengthSize]) {
    if (![2, 4, 8].includes(size)) throw new Hdf5FormatError(`the superblock gives a field size of ${size} bytes; HDF5 uses 2, 4 or 8`);
  }
}

/** The messages of the object header at `address`, following continuation blocks. */
function readMessages(reader: Reader, address: number): Message[] {
  const messages: Message[] = [];
  const blocks: { at: number; end: number }[] = [];
  const version = reader.u8(address);
  let v2Flags = 0;
  if (version === 1) {
    const headerSize = reader.u32(address + 8);
    blocks.push({ at: address + 16, end: address + 16 + headerSize });
  } else if (reader.ascii(address, 4) === 'OHDR') {
    if (reader.u8(address + 4) !== 2) throw new Hdf5FormatError(`object header version ${reader.u8(address + 4)} at byte ${address} is unknown`);
    v2Flags = reader.u8(address + 5);
    let at = address + 6;
    if (v2Flags & 0x20) at += 16;
    if (v2Flags & 0x10) at += 4;
    const sizeBytes = 1 << (v2Flags & 0x03);
    const chunkSize = reader.uint(at, sizeBytes) ?? 0;
    at += sizeBytes;
    blocks.push({ at, end: at + chunkSize });
  } else {
    throw new Hdf5FormatError(`no object header at byte ${address}`);
  }
  const seen = new Set<number>();
  for (let b = 0; b < blocks.length; b++) {
    if (b > limits.continuationBlocks) throw new Hdf5FormatError(`the object at byte ${address} has too many continuation blocks`);
    const { at: start, end } = blocks[b]!;
    reader.check(start, end - start, 'an object header block');
    let at = start;
    if (version !== 1 && b > 0) {
      reader.expectSignature(at, 'OCHK', 'a continuation block');
      at += 4;
    }
    const blockEnd = version === 1 ? end : end - (b > 0 ? 4 : 0);
    const headerSize = version === 1 ? 8 : 4 + (v2Flags & 0x04 ? 2 : 0);
    while (at + headerSize <= blockEnd) {
      const type = version === 1 ? reader.u16(at) : reader.u8(at);
      const size = version === 1 ? reader.u16(at + 2) : reader.u16(at + 1);
      const flags = version === 1 ? reader.u8(at + 4) : reader.u8(at + 3);
      const body = at + headerSize;
      if (body + size > blockEnd) throw new Hdf5FormatError(`a message of the object at byte ${address} runs past its header`);
      messages.push({ type, flags, at: body, size });
      if (messages.length > limits.messagesPerObject) throw new Hdf5FormatError(`the object at byte ${address} has too many messages`);
      if (type === messageTypes.continuation) {
        const next = reader.requireAddress(body, 'a continuation block');
        const length = reader.length(body + reader.offsetSize);
        if (seen.has(next)) throw new Hdf5FormatError(`the object at byte ${address} has a continuation loop`);
        seen.add(next);
        blocks.push({ at: next, end: next + length });
      }
      // Version 1 message bodies are padded to a multiple of 8 bytes (counted in `size`).
      at = body + size;
    }
  }
  return messages;
}

function readDatatype(reader: Reader, at: number): Datatype {
  const classAndVersion = reader.u8(at);
  const typeClass = classAndVersion & 0x0f;
  const bits0 = reader.u8(at + 1);
  const size = reader.u32(at + 4);
  switch (typeClass) {
    case 0:
      return { kind: 'integer', size, signed: (bits0 & 0x08) !== 0, bigEndian: (bits0 & 0x01) !== 0 };
    case 1:
      return { kind: 'float', size, bigEndian: (bits0 & 0x01) !== 0 };
    case 3:
      return { kind: 'string', size, spacePadded: (bits0 & 0x0f) === 2 };
    case 9:
      return (bits0 & 0x0f) === 1 ? { kind: 'vlen-string' } : { kind: 'other', description: 'a variable-length sequence', size };
    default:
      return { kind: 'other', description: `an HDF5 type of class ${typeClass}`, size };
  }
}

const elementSize = (reader: Reader, type: Datatype) => (type.kind === 'vlen-string' ? 4 + reader.offsetSize + 4 : type.size);

/** A dataspace's dimensions: [] for a scalar, null for a null dataspace (no value). */
function readDataspace(reader: Reader, at: number): number[] | null {
  const version = reader.u8(at);
  const rank = reader.u8(at + 1);
  if (version === 2 && reader.u8(at + 3) === 2) return null;
  if (version !== 1 && version !== 2) throw new Hdf5FormatError(`dataspace version ${version} at byte ${at} is unknown`);
  const dims = at + (version === 1 ? 8 : 4);
  return Array.from({ length: rank }, (_, i) => reader.length(dims + i * reader.lengthSize));
}

function elementCount(shape: number[]): number {
  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count)) throw new Hdf5FormatError(`a dataspace of ${shape.join(' × ')} elements is too large`);
  return count;
}

/** Variable-length data lives in global heap collections; each is parsed once. */
class GlobalHeap {
  private readonly collections = new Map<number, Map<number, { at: number; size: number }>>();
  constructor(private readonly reader: Reader) {}

  object(collection: number, index: number): Uint8Array {
    let objects = this.collections.get(collection);
    if (!objects) {
      objects = this.parse(collection);
      this.collections.set(collection, objects);
    }
    const found = objects.get(index);
    if (!found) throw new Hdf5FormatError(`global heap object ${index} at byte ${collection} does not exist`);
    return this.reader.bytes.subarray(found.at, found.at + found.size);
  }

  private parse(address: number): Map<number, { at: number; size: number }> {
    const r = this.reader;
    r.expectSignature(address, 'GCOL', 'a global heap collection');
    const size = r.length(address + 8);
    r.check(address, size, 'a global heap collection');
    const end = address + size;
    const objects = new Map<number, { at: number; size: number }>();
    let at = address + 8 + r.lengthSize;
    while (at + 8 + r.lengthSize <= end) {
      const index = r.u16(at);
      if (index === 0) break;
      const objectSize = r.length(at + 8);
      const data = at + 8 + r.lengthSize;
      r.check(data, objectSize, 'a global heap object');
      objects.set(index, { at: data, size: objectSize });
      if (objects.size > limits.globalHeapObjects) throw new Hdf5FormatError('a global heap collection has too many objects');
      at = data + Math.ceil(objectSize / 8) * 8;
    }
    return objects;
  }
}

function decodeValues(reader: Reader, heap: GlobalHeap, type: Datatype, shape: number[], at: number): Hdf5Value {
  const count = elementCount(shape);
  const size = elementSize(reader, type);
  reader.check(at, count * size, 'a value');
  const values: (string | number)[] = [];
  // Variable-length strings may all point at one large heap object; what they decode to is capped at the file's size.
  let stringBytes = 0;
  for (let i = 0; i < count; i++) {
    const element = at + i * size;
    switch (type.kind) {
      case 'string': {
        let bytes = reader.bytes.subarray(element, element + type.size);
        const nul = bytes.indexOf(0);
        if (nul >= 0) bytes = bytes.subarray(0, nul);
        const text = utf8(bytes);
        values.push(type.spacePadded ? text.trimEnd() : text);
        break;
      }
      case 'vlen-string': {
        const length = reader.u32(element);
        const collection = reader.address(element + 4);
        if (collection === null || length === 0) {
          values.push('');
          break;
        }
        const bytes = heap.object(collection, reader.u32(element + 4 + reader.offsetSize));
        stringBytes += Math.min(length, bytes.length);
        if (stringBytes > reader.bytes.length) throw new Hdf5FormatError('an attribute\'s strings add up to more than the whole file');
        values.push(utf8(bytes.subarray(0, Math.min(length, bytes.length))));
        break;
      }
      case 'integer':
      case 'float':
        values.push(readNumber(reader.view, type, element));
        break;
      case 'other':
        throw new Hdf5FormatError(`values of ${type.description} cannot be read`);
    }
  }
  if (shape.length === 0) return values[0]!;
  return values.every((value) => typeof value === 'string') ? (values as string[]) : (values as number[]);
}


interface RawAttribute {
  name: string;
  read: () => Hdf5Value | null;
}

function readAttribute(reader: Reader, heap: GlobalHeap, message: Message): RawAttribute {
  const at = message.at;
  const version = reader.u8(at);
  if (version < 1 || version > 3) throw new Hdf5FormatError(`attribute message version ${version} at byte ${at} is unknown`);
  const flags = reader.u8(at + 1);
  const nameSize = reader.u16(at + 2);
  const typeSize = reader.u16(at + 4);
  const spaceSize = reader.u16(at + 6);
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  const nameAt = at + 8 + (version === 3 ? 1 : 0);
  const name = reader.cString(nameAt, nameAt + nameSize);
  const typeAt = nameAt + pad(nameSize);
  const spaceAt = typeAt + pad(typeSize);
  const dataAt = spaceAt + pad(spaceSize);
  return {
    name,
    read: () => {
      if (flags & 0x03) throw new Hdf5FormatError(`attribute ${name} uses a shared datatype or dataspace, which cannot be read`);
      const shape = readDataspace(reader, spaceAt);
      if (shape === null) return null;
      return decodeValues(reader, heap, readDatatype(reader, typeAt), shape, dataAt);
    },
  };
}

interface HardLink {
  name: string;
  address: number;
}

function readLinkMessage(reader: Reader, at: number): HardLink | null {
  if (reader.u8(at) !== 1) throw new Hdf5FormatError(`link message version ${reader.u8(at)} at byte ${at} is unknown`);
  const flags = reader.u8(at + 1);
  let p = at + 2;
  let linkType = 0;
  if (flags & 0x08) linkType = reader.u8(p++);
  if (flags & 0x04) p += 8;
  if (flags & 0x10) p++;
  const nameLengthSize = 1 << (flags & 0x03);
  const nameLength = reader.uint(p, nameLengthSize) ?? 0;
  p += nameLengthSize;
  reader.check(p, nameLength, 'a link name');
  const name = utf8(reader.bytes.subarray(p, p + nameLength));
  p += nameLength;
  // Soft and external links point by name, not at an object in this file; a model never needs them.
  if (linkType !== 0) return null;
  return { name, address: reader.requireAddress(p, `link ${name}`) };
}

/** The links of an old-style group: a version 1 B-tree of symbol table nodes, names in a local heap. */
function readSymbolTable(reader: Reader, btreeAddress: number, heapAddress: number): HardLink[] {
  reader.expectSignature(heapAddress, 'HEAP', 'a local heap');
  const heapSize = reader.length(heapAddress + 8);
  const heapData = reader.requireAddress(heapAddress + 8 + 2 * reader.lengthSize, 'a local heap');
  reader.check(heapData, heapSize, 'a local heap');
  const links: HardLink[] = [];
  const symbolTableNodes = new Set<number>();
  const entrySize = 2 * reader.offsetSize + 24;
  // A group's keys are offsets into its local heap; its leaves point at symbol table nodes.
  walkBtreeV1(reader, btreeAddress, 0, reader.lengthSize, (_key, node) => {
    // Symbol table nodes may overlap in a crafted file; each is read once, and members are capped.
    if (symbolTableNodes.has(node)) throw new Hdf5FormatError(`a group B-tree names the symbol table node at byte ${node} twice`);
    symbolTableNodes.add(node);
    reader.expectSignature(node, 'SNOD', 'a symbol table node');
    const symbols = reader.u16(node + 6);
    if (links.length + symbols > limits.groupMembers) throw new Hdf5FormatError(`a group has more than ${limits.groupMembers} members`);
    for (let s = 0; s < symbols; s++) {
      const entry = node + 8 + s * entrySize;
      const nameOffset = reader.length(entry);
      if (nameOffset >= heapSize) throw new Hdf5FormatError(`a group member's name lies outside its local heap`);
      links.push({ name: reader.cString(heapData + nameOffset, heapData + heapSize), address: reader.requireAddress(entry + reader.offsetSize, 'a group member') });
    }
  });
  return links;
}

class File {
  readonly reader: Reader;
  readonly heap: GlobalHeap;
  private readonly nodes = new Map<number, Hdf5Node>();

  constructor(bytes: Uint8Array) {
    this.reader = new Reader(bytes);
    this.heap = new GlobalHeap(this.reader);
  }

  open(address: number): Hdf5Node {
    const cached = this.nodes.get(address);
    if (cached) return cached;
    const messages = readMessages(this.reader, address);
    const has = (type: number) => messages.some((m) => m.type === type);
    const node = has(messageTypes.layout) ? this.dataset(messages) : this.group(messages);
    this.nodes.set(address, node);
    return node;
  }

  private attributes(messages: Message[]): RawAttribute[] {
    const info = messages.find((m) => m.type === messageTypes.attributeInfo);
    if (info) {
      const flags = this.reader.u8(info.at + 1);
      const heapAt = info.at + 2 + (flags & 0x01 ? 2 : 0);
      if (this.reader.address(heapAt) !== null) throw new Hdf5FormatError('attributes kept in dense storage (a fractal heap) cannot be read; save the model with h5py\'s default settings');
    }
    return messages.filter((m) => m.type === messageTypes.attribute).map((m) => readAttribute(this.reader, this.heap, m));
  }

  private group(messages: Message[]): Hdf5Group {
    const r = this.reader;
    let links: HardLink[] = [];
    const symbolTable = messages.find((m) => m.type === messageTypes.symbolTable);
    if (symbolTable) {
      links = readSymbolTable(r, r.requireAddress(symbolTable.at, 'a group B-tree'), r.requireAddress(symbolTable.at + r.offsetSize, 'a local heap'));
    } else {
      const info = messages.find((m) => m.type === messageTypes.linkInfo);
      if (info) {
        const flags = r.u8(info.at + 1);
        if (r.address(info.at + 2 + (flags & 0x01 ? 8 : 0)) !== null) {
          throw new Hdf5FormatError('a group with its links in dense storage (a fractal heap) cannot be read; save the model with h5py\'s default settings');
        }
      }
      links = messages.filter((m) => m.type === messageTypes.link).flatMap((m) => readLinkMessage(r, m.at) ?? []);
    }
    const attributes = this.attributes(messages);
    const byName = new Map(links.map((link) => [link.name, link.address]));
    return {
      kind: 'group',
      childNames: () => links.map((link) => link.name),
      // Members open only when asked for, so a group that contains itself cannot make the reader loop.
      child: (name) => {
        const at = byName.get(name);
        return at === undefined ? null : this.open(at);
      },
      attributeNames: () => attributes.map((a) => a.name),
      attribute: (name) => attributes.find((a) => a.name === name)?.read() ?? null,
    };
  }

  private dataset(messages: Message[]): Hdf5Dataset {
    const r = this.reader;
    const find = (type: number, what: string) => {
      const message = messages.find((m) => m.type === type);
      if (!message) throw new Hdf5FormatError(`a dataset has no ${what}`);
      return message;
    };
    const shape = readDataspace(r, find(messageTypes.dataspace, 'dataspace').at) ?? [0];
    const type = readDatatype(r, find(messageTypes.datatype, 'datatype').at);
    const layout = find(messageTypes.layout, 'layout').at;
    return {
      kind: 'dataset',
      shape,
      read: () => {
        if (type.kind !== 'float' && type.kind !== 'integer') throw new Hdf5FormatError('a weight is stored as strings or another non-numeric type');
        const count = elementCount(shape);
        if (r.u8(layout + 1) === 2) {
          const pipeline = messages.find((m) => m.type === messageTypes.filterPipeline);
          const { btree, chunkShape } = this.chunkedLayout(layout, shape.length);
          return readChunkedValues(r, btree, chunkShape, shape, type, pipeline ? readFilterPipeline(r, pipeline.at) : []);
        }
        const data = this.layoutData(layout, count * type.size);
        const values = new Float32Array(count);
        for (let i = 0; i < count; i++) values[i] = readNumber(r.view, type, data + i * type.size);
        return values;
      },
    };
  }

  /** Where a dataset's `size` bytes start, from its layout message. */
  private layoutData(at: number, size: number): number {
    const r = this.reader;
    const version = r.u8(at);
    if (version !== 3 && version !== 4) throw new Hdf5FormatError(`data layout version ${version} is not supported (HDF5 1.6 and older wrote it); re-save the file with h5py`);
    const layoutClass = r.u8(at + 1);
    if (layoutClass === 0) {
      const stored = r.u16(at + 2);
      if (stored < size) throw new Hdf5FormatError(`a compact dataset holds ${stored} bytes, its shape needs ${size}`);
      r.check(at + 4, size, 'a compact dataset');
      return at + 4;
    }
    if (layoutClass === 1) {
      const address = r.address(at + 2);
      const stored = r.length(at + 2 + r.offsetSize);
      if (size === 0) return 0;
      if (address === null) throw new Hdf5FormatError('a dataset was created but never written');
      if (stored < size) throw new Hdf5FormatError(`a dataset holds ${stored} bytes, its shape needs ${size}`);
      r.check(address, size, 'a dataset');
      return address;
    }
    throw new Hdf5FormatError(`data layout class ${layoutClass} is unknown`);
  }

  /** A chunked layout (version 3, as h5py writes by default): the chunk index's B-tree and the chunks' shape. */
  private chunkedLayout(at: number, rank: number): { btree: number; chunkShape: number[] } {
    const r = this.reader;
    if (r.u8(at) !== 3) throw new Hdf5FormatError('chunked datasets indexed the HDF5 1.10 way (libver="latest") cannot be read; save the file with h5py\'s default settings');
    const dimensionality = r.u8(at + 2);
    if (dimensionality !== rank + 1) throw new Hdf5FormatError(`a chunked dataset of rank ${rank} gives chunks of rank ${dimensionality - 1}`);
    const btree = r.address(at + 3);
    if (btree === null) throw new Hdf5FormatError('a dataset was created but never written');
    const dims = at + 3 + r.offsetSize;
    return { btree, chunkShape: Array.from({ length: rank }, (_, d) => r.u32(dims + d * 4)) };
  }
}

/** The root group of an HDF5 file held in memory. */
export function readHdf5(bytes: Uint8Array): Hdf5Group {
  const file = new File(bytes);
  const root = file.open(readSuperblock(file.reader));
  if (root.kind !== 'group') throw new Hdf5FormatError('the file\'s root is not a group');
  return root;
}

/** The node at a slash-separated path below `group`, or null. */
export function hdf5Path(group: Hdf5Group, path: string): Hdf5Node | null {
  let node: Hdf5Node = group;
  for (const part of path.split('/').filter(Boolean)) {
    if (node.kind !== 'group') return null;
    const next: Hdf5Node | null = node.child(part);
    if (!next) return null;
    node = next;
  }
  return node;
}
