import { describe, expect, it } from 'vitest';
import { compareRuns } from '../conformance/compareRuns';
import type { ExpectedFailure } from '../conformance/expectedStockFailures';
import { splitFullName, type SpecResult } from '../conformance/specResult';

const spec = (file: string, name: string, status: SpecResult['status'], message?: string): SpecResult => ({ file, name, status, message });
const expected: ExpectedFailure[] = [{ file: 'ops/tile_test.js', message: /Aborted/, count: 1, reason: 'strings' }];
const stock = [
  spec('ops/tile_test.js', 'tile 1d', 'passed'),
  spec('ops/tile_test.js', 'tile string', 'failed', 'RuntimeError: Aborted()'),
  spec('ops/sum_test.js', 'sum', 'passed'),
];

describe('the conformance comparison', () => {
  it('passes when ours passes everything stock passes and stock fails only as listed', () => {
    const ours = [spec('ops/tile_test.js', 'tile 1d', 'passed'), spec('ops/tile_test.js', 'tile string', 'passed'), spec('ops/sum_test.js', 'sum', 'passed')];
    const result = compareRuns(stock, ours, expected, ['ops/sum_test.js', 'ops/tile_test.js']);
    expect(result.problems).toEqual([]);
    expect(result.files).toEqual([
      { file: 'ops/sum_test.js', specs: 1, stockPassed: 1, oursPassed: 1 },
      { file: 'ops/tile_test.js', specs: 2, stockPassed: 1, oursPassed: 2 },
    ]);
  });

  it('fails on a spec that passes on stock and fails with ours, naming it', () => {
    const ours = [
      spec('ops/tile_test.js', 'tile 1d', 'failed', 'Arrays differ'),
      spec('ops/tile_test.js', 'tile string', 'passed'),
      spec('ops/sum_test.js', 'sum', 'passed'),
    ];
    expect(compareRuns(stock, ours, expected, ['ops/tile_test.js']).problems).toEqual([
      'ops/tile_test.js: "tile 1d" passes on stock but fails with ours: Arrays differ',
    ]);
  });

  it('fails when stock fails in a way the list does not give a reason for, or the counts change', () => {
    const newFailure = [...stock, spec('ops/sum_test.js', 'sum int', 'errored', 'beforeAll threw')];
    expect(compareRuns(newFailure, newFailure, expected, []).problems).toEqual([
      'ops/sum_test.js: "sum int" fails on stock and is not in expectedStockFailures.ts: beforeAll threw',
    ]);
    const fixedUpstream = stock.map((s) => ({ ...s, status: 'passed' as const }));
    expect(compareRuns(fixedUpstream, fixedUpstream, expected, []).problems).toEqual([
      'ops/tile_test.js: expected 1 stock failures matching /Aborted/ (strings), saw 0',
    ]);
  });

  it('fails when a file ran no specs', () => {
    expect(compareRuns(stock, stock, expected, ['ops/gone_test.js']).problems).toEqual(['ops/gone_test.js: no specs ran (is the file still in tfjs-core?)']);
  });

  it("reads the file from the wrapping describe's name", () => {
    expect(splitFullName('[ops/sum_test.js] sum wasm {} basic')).toEqual({ file: 'ops/sum_test.js', name: 'sum wasm {} basic' });
  });
});
