import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSuite } from './buildSuite';
import { compareRuns } from './compareRuns';
import { expectedStockFailures } from './expectedStockFailures';
import { wasmKernelTests, wasmTestFiles } from './opTestFiles';
import type { SpecResult } from './specResult';

// `npm run test:conformance`: tfjs-core's own op tests for every kernel we replace on wasm, on
// the stock kernels and on ours, each in its own process (both at once, one a core); fails when
// ours pass fewer specs than stock in a file, when a spec stock passes fails with ours, or when
// stock's failures are no longer the listed ones.

const run = promisify(execFile);
const outDir = join('dist', 'conformance');

async function runSuite(suite: string, kernels: 'stock' | 'ours'): Promise<SpecResult[]> {
  const resultsFile = join(outDir, `results-${kernels}.json`);
  await run(process.execPath, [suite, kernels, resultsFile], { timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(await readFile(resultsFile, 'utf8')) as SpecResult[];
}

async function main(): Promise<number> {
  const started = performance.now();
  await mkdir(outDir, { recursive: true });
  const suite = join(outDir, 'wasmSuite.cjs');
  await buildSuite(wasmTestFiles, suite);
  const [stock, ours] = await Promise.all([runSuite(suite, 'stock'), runSuite(suite, 'ours')]);
  const { files, problems } = compareRuns(stock, ours, expectedStockFailures, wasmTestFiles);

  const kernelsOf = (file: string) => Object.keys(wasmKernelTests).filter((kernel) => wasmKernelTests[kernel]!.includes(file));
  process.stdout.write(`tfjs-core ${require('@tensorflow/tfjs-core/package.json').version} op tests on wasm: stock kernels against ours\n`);
  process.stdout.write(`${'file'.padEnd(34)} ${'specs'.padStart(5)} ${'stock'.padStart(6)} ${'ours'.padStart(5)}  kernels\n`);
  for (const f of files) process.stdout.write(`${f.file.padEnd(34)} ${String(f.specs).padStart(5)} ${String(f.stockPassed).padStart(6)} ${String(f.oursPassed).padStart(5)}  ${kernelsOf(f.file).join(', ')}\n`);
  const total = (pick: (f: (typeof files)[number]) => number) => files.reduce((n, f) => n + pick(f), 0);
  process.stdout.write(`${'all'.padEnd(34)} ${String(total((f) => f.specs)).padStart(5)} ${String(total((f) => f.stockPassed)).padStart(6)} ${String(total((f) => f.oursPassed)).padStart(5)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (problems.length === 0) process.stdout.write(`passed: ${expectedStockFailures.reduce((n, e) => n + e.count, 0)} stock failures, all expected (test/conformance/expectedStockFailures.ts); ${seconds} s\n`);
  for (const problem of problems) process.stdout.write(`FAIL ${problem}\n`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`conformance run failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
