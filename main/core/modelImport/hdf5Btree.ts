import { Hdf5FormatError, type Reader } from './hdf5Bytes';

// HDF5's version 1 B-tree, which indexes both a group's symbol table nodes (node type 0) and a
// chunked dataset's chunks (type 1): nodes of keys and children, leaves at level 0.

const nodeKinds = { 0: 'group', 1: 'chunk' } as const;
/** No model file comes near these; a crafted tree cannot make the walk recurse or run without end. */
const limits = { depth: 32, nodes: 100_000 };

/**
 * Calls `onLeafEntry` with the key's and the child's addresses of every leaf entry of the tree
 * at `root`, in order. `keySize` is the size of one key in bytes. Each node is visited once:
 * a tree that loops, or is too deep or too large, is refused.
 */
export function walkBtreeV1(reader: Reader, root: number, nodeType: 0 | 1, keySize: number, onLeafEntry: (key: number, child: number) => void): void {
  const kind = nodeKinds[nodeType];
  const visited = new Set<number>();
  const visit = (node: number, depth: number) => {
    if (depth > limits.depth || visited.size > limits.nodes) throw new Hdf5FormatError(`a ${kind} B-tree is too deep or too large`);
    if (visited.has(node)) throw new Hdf5FormatError(`a ${kind} B-tree loops back to byte ${node}`);
    visited.add(node);
    reader.expectSignature(node, 'TREE', `a ${kind} B-tree node`);
    if (reader.u8(node + 4) !== nodeType) throw new Hdf5FormatError(`the B-tree node at byte ${node} is not a ${kind} node`);
    const level = reader.u8(node + 5);
    const entries = reader.u16(node + 6);
    // After the signature, type, level and count: the left and right siblings, then key, child, key, child, ….
    const first = node + 8 + 2 * reader.offsetSize;
    for (let i = 0; i < entries; i++) {
      const key = first + i * (keySize + reader.offsetSize);
      const child = reader.requireAddress(key + keySize, `a ${kind} B-tree child`);
      if (level > 0) visit(child, depth + 1);
      else onLeafEntry(key, child);
    }
  };
  visit(root, 0);
}
