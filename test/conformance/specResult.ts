/** One spec's (or one suite hook's) outcome in a conformance run, as the suite process writes it. */
export interface SpecResult {
  /** The test file, relative to @tensorflow/tfjs-core/dist/. */
  file: string;
  /** Jasmine's full name, without the file. */
  name: string;
  /** errored: a beforeAll or afterAll of its suite threw. */
  status: 'passed' | 'failed' | 'pending' | 'excluded' | 'errored';
  message?: string;
}

/** The outer describe the suite wraps each file in, so every full name starts with its file. */
export const fileSuiteName = (file: string) => `[${file}]`;

/** Splits "[ops/sum_test.js] sum wasm {} basic" into its file and the rest. */
export function splitFullName(fullName: string): { file: string; name: string } {
  const match = /^\[([^\]]+)\] (.*)$/s.exec(fullName);
  return match ? { file: match[1]!, name: match[2]! } : { file: '?', name: fullName };
}
