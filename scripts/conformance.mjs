// `npm run test:conformance`: bundles the conformance harness (test/conformance/) and runs it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['test/conformance/conformanceMain.ts'],
  outfile: 'dist/conformance/conformanceMain.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  loader: { '.wasm': 'binary' },
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['dist/conformance/conformanceMain.cjs'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
