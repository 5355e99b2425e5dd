import { classCount } from '../mnist';
import { argmaxRow } from './classificationMetrics';

/** How two models' predictions on the same images differ. */
export interface PredictionComparison {
  /** Images compared. */
  count: number;
  /** Images whose predicted digit differs. */
  changed: number;
  /** The largest difference of any one probability. */
  maxDifference: number;
}

/** Compares two `count × 10` probability tables row by row; they must be of one size. */
export function comparePredictions(expected: Float32Array, actual: Float32Array): PredictionComparison {
  if (expected.length !== actual.length || expected.length % classCount !== 0) {
    throw new Error(`cannot compare ${expected.length / classCount} predictions with ${actual.length / classCount}`);
  }
  const count = expected.length / classCount;
  let changed = 0;
  let maxDifference = 0;
  for (let i = 0; i < count; i++) {
    if (argmaxRow(expected, i) !== argmaxRow(actual, i)) changed++;
    for (let k = i * classCount; k < (i + 1) * classCount; k++) {
      const difference = Math.abs(expected[k]! - actual[k]!);
      // A NaN counts as the largest difference two probabilities can have.
      if (!(difference <= maxDifference)) maxDifference = Number.isNaN(difference) ? 1 : difference;
    }
  }
  return { count, changed, maxDifference };
}
