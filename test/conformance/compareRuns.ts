import type { ExpectedFailure } from './expectedStockFailures';
import type { SpecResult } from './specResult';

export interface FileCounts {
  file: string;
  specs: number;
  stockPassed: number;
  oursPassed: number;
}

export interface Comparison {
  files: FileCounts[];
  /** Everything that makes the run fail, in words. */
  problems: string[];
}

const key = (r: SpecResult) => `${r.file} ${r.name}`;
const failed = (r: SpecResult) => r.status === 'failed' || r.status === 'errored';

/**
 * Compares a run on the stock kernels with one on ours: ours must pass at least as many specs in
 * every file, every spec that passes on stock must pass with ours, and stock's failures must be
 * exactly the expected ones.
 */
export function compareRuns(stock: SpecResult[], ours: SpecResult[], expected: readonly ExpectedFailure[], files: readonly string[]): Comparison {
  const problems: string[] = [];
  const oursByKey = new Map(ours.map((r) => [key(r), r]));
  for (const spec of stock) {
    const mine = oursByKey.get(key(spec));
    if (spec.status === 'passed' && mine?.status !== 'passed')
      problems.push(`${spec.file}: "${spec.name}" passes on stock but ${mine ? `fails with ours: ${mine.message ?? mine.status}` : 'did not run with ours'}`);
  }

  const matched = new Map<ExpectedFailure, number>(expected.map((e) => [e, 0]));
  for (const failure of stock.filter(failed)) {
    const entry = expected.find((e) => e.file === failure.file && e.message.test(failure.message ?? ''));
    if (entry) matched.set(entry, matched.get(entry)! + 1);
    else problems.push(`${failure.file}: "${failure.name}" fails on stock and is not in expectedStockFailures.ts: ${failure.message ?? failure.status}`);
  }
  for (const [entry, count] of matched) {
    if (count !== entry.count) problems.push(`${entry.file}: expected ${entry.count} stock failures matching ${entry.message} (${entry.reason}), saw ${count}`);
  }

  const counts = files.map((file) => {
    const inFile = (r: SpecResult) => r.file === file && r.status !== 'excluded' && r.status !== 'pending';
    const specs = stock.filter(inFile);
    return {
      file,
      specs: specs.length,
      stockPassed: specs.filter((r) => r.status === 'passed').length,
      oursPassed: ours.filter((r) => inFile(r) && r.status === 'passed').length,
    };
  });
  for (const c of counts) {
    if (c.specs === 0) problems.push(`${c.file}: no specs ran (is the file still in tfjs-core?)`);
    if (c.oursPassed < c.stockPassed) problems.push(`${c.file}: ${c.oursPassed} specs pass with ours, ${c.stockPassed} on stock`);
  }
  return { files: counts, problems };
}
