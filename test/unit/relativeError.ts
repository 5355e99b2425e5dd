/** The largest difference between two arrays, relative to the largest value expected. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  let maxDiff = 0;
  let maxValue = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
    maxValue = Math.max(maxValue, Math.abs(expected[i]!));
  }
  return maxDiff / Math.max(maxValue, 1e-12);
}
