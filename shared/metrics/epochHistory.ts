import { classCount } from '../mnist';
import { confusionMatrix } from './classificationMetrics';

/** Per-epoch predictions as the API sends them: `epochs.length` rows of `count` images. */
export interface EpochRows {
  count: number;
  epochs: number[];
  predicted: Uint8Array;
  confidence: Uint8Array;
}

/** How the model read the test digits at one point: each image's digit, its probability, and the confusion matrix. */
export interface PredictionsShown {
  predicted: Uint8Array;
  confidence: (index: number) => number;
  confusion: number[][];
}

/** The checkpoint's evaluation as the inspector shows it. */
export function evaluationShown({
  predicted,
  probabilities,
  confusion,
}: {
  predicted: Uint8Array;
  probabilities: Float32Array;
  confusion: number[][];
}): PredictionsShown {
  return { predicted, confidence: (i) => probabilities[i * classCount + predicted[i]!]!, confusion };
}

/** The predictions of the `row`-th kept epoch. */
export function epochShown(rows: EpochRows, row: number, labels: Uint8Array): PredictionsShown {
  const predicted = rows.predicted.subarray(row * rows.count, (row + 1) * rows.count);
  const confidence = rows.confidence.subarray(row * rows.count, (row + 1) * rows.count);
  return { predicted, confidence: (i) => confidence[i]! / 255, confusion: confusionMatrix(labels, predicted) };
}

/** Since when an image has been read as it is at epoch row `row`: right or wrong, and the first kept epoch of that streak. */
export interface DigitStreak {
  right: boolean;
  since: number;
  /** Whether it was read otherwise before `since` (so "fixed at" or "broken at", not "right from the start"). */
  changed: boolean;
}

export function digitStreak(rows: EpochRows, row: number, image: number, label: number): DigitStreak {
  const rightAt = (r: number) => rows.predicted[r * rows.count + image] === label;
  const right = rightAt(row);
  let first = row;
  while (first > 0 && rightAt(first - 1) === right) first--;
  return { right, since: rows.epochs[first]!, changed: first > 0 };
}
