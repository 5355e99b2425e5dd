// esbuild (scripts/build.mjs) and vitest (vitest.config.ts) load a .wasm import as its bytes.
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
