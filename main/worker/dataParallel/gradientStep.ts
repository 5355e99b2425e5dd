import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export interface GradientResult {
  /** Mean categorical cross-entropy of the batch. */
  loss: number;
  accuracy: number;
  /** One gradient per trainable weight, in model.trainableWeights order. */
  grads: tf.Tensor[];
}

/** The model's trainable variables, in a fixed order both replicas share. */
export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Loss, accuracy and gradients of one batch in training mode (dropout on, BatchNorm batch
 * statistics), the same loss trainOnBatch minimises for the 'categoricalCrossentropy' compile.
 */
export function computeGradients(model: tfl.LayersModel, xs: tf.Tensor, ys: tf.Tensor): GradientResult {
  const variables = trainableVariables(model);
  let accuracy: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const predictions = model.apply(xs, { training: true }) as tf.Tensor;
    accuracy = tf.keep(tf.mean(tfl.metrics.categoricalAccuracy(ys, predictions)) as tf.Scalar);
    return tf.mean(tfl.metrics.categoricalCrossentropy(ys, predictions)) as tf.Scalar;
  }, variables);
  const loss = value.dataSync()[0]!;
  value.dispose();
  const acc = (accuracy as tf.Scalar | null)?.dataSync()[0] ?? NaN;
  (accuracy as tf.Scalar | null)?.dispose();
  return { loss, accuracy: acc, grads: variables.map((v) => grads[v.name]!) };
}

/** Copies the JavaScript mirror of the weights into the model's variables. */
export function assignWeights(variables: tf.Variable[], weights: Float32Array[]): void {
  variables.forEach((variable, i) => {
    const value = tf.tensor(weights[i]!, variable.shape);
    variable.assign(value);
    value.dispose();
  });
}
