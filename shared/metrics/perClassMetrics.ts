import { classCount } from '../mnist';

/** One digit's figures from a confusion matrix (confusion[actual][predicted]). */
export interface ClassMetrics {
  digit: number;
  /** Of the images predicted as this digit, the share that are it; null when none was predicted. */
  precision: number | null;
  /** Of the images of this digit, the share predicted as it; null when there are none. */
  recall: number | null;
  /** One-vs-rest: the share of all images this digit's yes/no question gets right. */
  accuracy: number;
  support: number;
}

export function perClassMetrics(confusion: number[][]): ClassMetrics[] {
  const total = confusion.flat().reduce((a, b) => a + b, 0);
  return Array.from({ length: classCount }, (_, digit) => {
    const truePositives = confusion[digit]![digit]!;
    const actual = confusion[digit]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, row) => sum + row[digit]!, 0);
    const trueNegatives = total - actual - predicted + truePositives;
    return {
      digit,
      precision: predicted === 0 ? null : truePositives / predicted,
      recall: actual === 0 ? null : truePositives / actual,
      accuracy: total === 0 ? 0 : (truePositives + trueNegatives) / total,
      support: actual,
    };
  });
}

/** A row-normalised confusion matrix: each actual digit's row as shares of its images. */
export function rowRates(confusion: number[][]): number[][] {
  return confusion.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((n) => (sum === 0 ? 0 : n / sum));
  });
}

/** The test images whose actual and predicted labels are these, in test-set order. */
export function imagesInCell(labels: Uint8Array, predicted: Uint8Array, actual: number, predictedAs: number): number[] {
  const found: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === actual && predicted[i] === predictedAs) found.push(i);
  return found;
}

/** Each misclassified image with the probability the model gave its wrong answer (`confidence(index)`). */
export function mistakes(
  labels: Uint8Array,
  predicted: Uint8Array,
  confidence: (index: number) => number,
): { index: number; actual: number; predicted: number; confidence: number }[] {
  const found = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== predicted[i]) found.push({ index: i, actual: labels[i]!, predicted: predicted[i]!, confidence: confidence(i) });
  }
  return found;
}
