import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';

/** A .wasm import is its bytes, as esbuild's binary loader makes it in scripts/build.mjs. */
const wasmAsBytes: Plugin = {
  name: 'wasm-as-bytes',
  enforce: 'pre',
  load(id) {
    if (!id.endsWith('.wasm')) return null;
    return `export default new Uint8Array(Buffer.from('${readFileSync(id).toString('base64')}', 'base64'));`;
  },
};

export default defineConfig({
  plugins: [wasmAsBytes],
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // Training tests start worker processes; two cores run two files at a time at most.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
