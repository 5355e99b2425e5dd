import { classCount } from '../mnist';

/** Keras clips probabilities to [1e-7, 1 - 1e-7] before taking the log; so do we, for equal losses. */
const epsilon = 1e-7;

export interface Scores {
  loss: number;
  accuracy: number;
}

/** Index of the largest of the 10 probabilities of image i. */
export function argmaxRow(probabilities: Float32Array, i: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let k = 0; k < classCount; k++) {
    const value = probabilities[i * classCount + k]!;
    if (value > bestValue) {
      bestValue = value;
      best = k;
    }
  }
  return best;
}

/** Mean categorical cross-entropy and accuracy of softmax outputs (count × 10) against labels. */
export function scorePredictions(probabilities: Float32Array, labels: Uint8Array): Scores {
  const count = labels.length;
  if (count === 0) return { loss: 0, accuracy: 0 };
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const p = Math.min(1 - epsilon, Math.max(epsilon, probabilities[i * classCount + labels[i]!]!));
    lossSum -= Math.log(p);
    if (argmaxRow(probabilities, i) === labels[i]) correct++;
  }
  return { loss: lossSum / count, accuracy: correct / count };
}

/** confusion[actual][predicted] counts. */
export function confusionMatrix(labels: Uint8Array, predicted: Uint8Array): number[][] {
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![predicted[i]!]!++;
  return matrix;
}

export function predictedLabels(probabilities: Float32Array): Uint8Array<ArrayBuffer> {
  const count = probabilities.length / classCount;
  const predicted = new Uint8Array(count);
  for (let i = 0; i < count; i++) predicted[i] = argmaxRow(probabilities, i);
  return predicted;
}
