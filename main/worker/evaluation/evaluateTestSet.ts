import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { imageSide, pixelsPerImage } from '../../../shared/mnist';
import { meanProbabilities } from '../../../shared/metrics/meanProbabilities';
import { scorePredictions } from '../../../shared/metrics/classificationMetrics';
import { loadCheckpoint } from '../checkpoints/checkpointReader';
import { predictAll } from './predictAll';
import { loadIdxDataset, type DatasetFiles, type LoadedDataset } from '../../common/idx/loadIdxDataset';

export interface TestSetEvaluation {
  testLoss: number;
  testAccuracy: number;
  labels: Uint8Array<ArrayBuffer>;
  probabilities: Float32Array<ArrayBuffer>;
}

/**
 * Scores a model on the first `testCount` test images, keeping every image's 10 probabilities;
 * `predict` computes them where the weights are (the tfjs model unless told otherwise).
 */
export async function evaluateTestSet(
  model: tfl.LayersModel,
  data: LoadedDataset,
  testCount: number,
  predict = (pixels: Uint8Array, count: number) => predictAll(model, pixels, count),
): Promise<TestSetEvaluation> {
  const labels = data.test.labels.slice(0, testCount);
  const probabilities = await predict(data.test.pixels, testCount);
  const test = scorePredictions(probabilities, labels);
  return { testLoss: test.loss, testAccuracy: test.accuracy, labels, probabilities };
}

/** A stored checkpoint's 10 probabilities for each of n preprocessed images (n × 784 values 0–1). */
async function predictWithCheckpoint(modelDir: string, inputs: Float32Array): Promise<Float32Array<ArrayBuffer>> {
  const model = await loadCheckpoint(modelDir);
  try {
    const n = inputs.length / pixelsPerImage;
    const output = tf.tidy(() => model.predict(tf.tensor4d(inputs, [n, imageSide, imageSide, 1])) as tf.Tensor);
    const probabilities = new Float32Array((await output.data()) as Float32Array);
    output.dispose();
    return probabilities;
  } finally {
    model.dispose();
  }
}

/** The mean of stored checkpoints' probabilities (one checkpoint, or an ensemble's members, loaded one at a time). */
export async function predictWithCheckpoints(modelDirs: string[], inputs: Float32Array): Promise<Float32Array<ArrayBuffer>> {
  const outputs: Float32Array[] = [];
  for (const modelDir of modelDirs) outputs.push(await predictWithCheckpoint(modelDir, inputs));
  return meanProbabilities(outputs);
}

/** Evaluates a stored checkpoint: for a run whose training worker died after saving one. */
export async function evaluateCheckpoint(modelDir: string, files: DatasetFiles, testLimit: number | null): Promise<TestSetEvaluation> {
  const [model, data] = await Promise.all([loadCheckpoint(modelDir), loadIdxDataset(files)]);
  try {
    return await evaluateTestSet(model, data, Math.min(testLimit ?? Infinity, data.test.count));
  } finally {
    model.dispose();
  }
}
