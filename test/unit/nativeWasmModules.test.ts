import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The committed kernel modules (main/worker/kernels/wasm/native/*.wasm) are built from the C beside
// them by `npm run build:kernels`, which CI cannot run (no clang): these checks make a stale or
// unsafe module fail the tests instead.

const folder = 'main/worker/kernels/wasm/native';
const flavours = ['simd', 'relaxed'] as const;
const moduleBytes = (flavour: string) => readFileSync(join(folder, `nativeKernels.${flavour}.wasm`));

interface WebAssemblyModules {
  Module: {
    new (bytes: Uint8Array): object;
    imports(module: object): { module: string; name: string; kind: string }[];
    exports(module: object): { name: string }[];
  };
}
const { Module } = (globalThis as unknown as { WebAssembly: WebAssemblyModules }).WebAssembly;

/** The ids of a module's sections, in order. */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let i = 8;
  while (i < bytes.length) {
    ids.push(bytes[i++]!);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[i++]!;
      size |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    i += size;
  }
  return ids;
}

describe('the committed native kernel modules', () => {
  it('were built from the C sources as they are now', () => {
    const hash = createHash('sha256');
    for (const name of readdirSync(folder)
      .filter((n) => /\.[ch]$/.test(n))
      .sort())
      hash.update(`${name}\0${readFileSync(join(folder, name), 'utf8')}\0`);
    const built = readFileSync(join(folder, 'nativeKernels.sources.sha256'), 'utf8').trim();
    expect(built, 'a C source changed since the modules were built: run npm run build:kernels').toBe(hash.digest('hex'));
  });

  it.each(flavours)('%s: import only the heap they are given, write no data segment into it, and export every kernel', (flavour) => {
    const bytes = moduleBytes(flavour);
    expect(sectionIds(bytes)).not.toContain(11);
    // The plain build compiles everywhere; the relaxed one only validates where relaxed SIMD is on.
    if (flavour === 'relaxed') return;
    const compiled = new Module(bytes);
    expect(Module.imports(compiled)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const names = Module.exports(compiled).map((e) => e.name);
    for (const kernel of [
      'winograd_forward',
      'winograd_filter_grad',
      'winograd_filter_transform',
      'matrix_multiply',
      'channel_sums',
      'max_pool_gradient',
      'optimizer_update',
    ])
      expect(names).toContain(kernel);
  });
});
