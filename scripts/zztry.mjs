import { build } from 'esbuild';
await build({
  entryPoints: ['test/conformance/buildSuite.ts'],
  outfile: 'dist/conformance/buildSuite.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  packages: 'external',
});
