import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSuite } from './buildSuite';
import { compareRuns } from './compareRuns';
import { wasmStockFailures, webgpuStockFailures, type ExpectedFailure } from './expectedStockFailures';
import { testFilesOf, wasmKernelTests, webgpuKernelTests } from './opTestFiles';
import type { SpecResult } from './specResult';
import { softwareWebGpuUnavailable } from '../unit/softwareWebGpu';

// `npm run test:conformance`: tfjs-core's own op tests for every kernel we replace, on the stock
// kernels and on ours, each run in its own process (both at once, one a core): on wasm, and on
// WebGPU's software adapter where it exists. Fails when ours pass fewer specs than stock in a
// file, when a spec stock passes fails with ours, or when stock's failures are no longer the
// listed ones.

const run = promisify(execFile);
const outDir = join('dist', 'conformance');

interface Target {
  backend: 'wasm' | 'webgpu';
  kernels: Record<string, readonly string[]>;
  expected: readonly ExpectedFailure[];
  /** Why this backend cannot run here, or null. */
  unavailable: string | null;
}

const targets: Target[] = [
  { backend: 'wasm', kernels: wasmKernelTests, expected: wasmStockFailures, unavailable: null },
  { backend: 'webgpu', kernels: webgpuKernelTests, expected: webgpuStockFailures, unavailable: softwareWebGpuUnavailable() },
];

async function runSuite(suite: string, backend: string, kernels: 'stock' | 'ours'): Promise<SpecResult[]> {
  const resultsFile = join(outDir, `results-${backend}-${kernels}.json`);
  await run(process.execPath, [suite, backend, kernels, resultsFile], { timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(await readFile(resultsFile, 'utf8')) as SpecResult[];
}

const column = (value: string | number, width: number) => String(value).padStart(width);

async function checkTarget({ backend, kernels, expected, unavailable }: Target): Promise<string[]> {
  if (unavailable) {
    process.stdout.write(`\n${backend}: skipped, ${unavailable}\n`);
    return [];
  }
  const started = performance.now();
  const files = testFilesOf(kernels);
  const suite = join(outDir, `${backend}Suite.cjs`);
  await buildSuite(files, suite);
  const [stock, ours] = await Promise.all([runSuite(suite, backend, 'stock'), runSuite(suite, backend, 'ours')]);
  const comparison = compareRuns(stock, ours, expected, files);

  const kernelsOf = (file: string) => Object.keys(kernels).filter((kernel) => kernels[kernel]!.includes(file));
  process.stdout.write(
    `\n${backend}: tfjs-core's op tests, stock kernels against ours\n${'file'.padEnd(34)} ${column('specs', 5)} ${column('stock', 6)} ${column('ours', 5)}  kernels\n`,
  );
  for (const f of comparison.files)
    process.stdout.write(
      `${f.file.padEnd(34)} ${column(f.specs, 5)} ${column(f.stockPassed, 6)} ${column(f.oursPassed, 5)}  ${kernelsOf(f.file).join(', ')}\n`,
    );
  const total = (pick: (f: (typeof comparison.files)[number]) => number) => comparison.files.reduce((n, f) => n + pick(f), 0);
  process.stdout.write(
    `${'all'.padEnd(34)} ${column(
      total((f) => f.specs),
      5,
    )} ${column(
      total((f) => f.stockPassed),
      6,
    )} ${column(
      total((f) => f.oursPassed),
      5,
    )}\n`,
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  process.stdout.write(`${expected.reduce((n, e) => n + e.count, 0)} stock failures expected (test/conformance/expectedStockFailures.ts); ${seconds} s\n`);
  return comparison.problems.map((problem) => `${backend}: ${problem}`);
}

async function main(): Promise<number> {
  await mkdir(outDir, { recursive: true });
  process.stdout.write(`tfjs-core ${(require('@tensorflow/tfjs-core/package.json') as { version: string }).version}\n`);
  const problems: string[] = [];
  for (const target of targets) problems.push(...(await checkTarget(target)));
  for (const problem of problems) process.stdout.write(`FAIL ${problem}\n`);
  if (problems.length === 0) process.stdout.write('\npassed\n');
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`conformance run failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
