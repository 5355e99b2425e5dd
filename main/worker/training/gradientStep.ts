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
 * statistics), the same loss trainOnBatch minimises for the 'categoricalCrossentropy' compile,
 * as tensors: nothing is read back (the GPU trainer reads its metrics once per interval).
 */
export function lossAndGradients(model: tfl.LayersModel, xs: tf.Tensor, ys: tf.Tensor): { loss: tf.Scalar; accuracy: tf.Scalar; grads: tf.Tensor[] } {
  const variables = trainableVariables(model);
  let accuracy: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const predictions = model.apply(xs, { training: true }) as tf.Tensor;
    accuracy = tf.keep(tf.mean(tfl.metrics.categoricalAccuracy(ys, predictions)) as tf.Scalar);
    return tf.mean(tfl.metrics.categoricalCrossentropy(ys, predictions)) as tf.Scalar;
  }, variables);
  return { loss: value, accuracy: accuracy!, grads: variables.map((v) => grads[v.name]!) };
}

/** lossAndGradients with the loss and accuracy read back, for the CPU trainers. */
export function computeGradients(model: tfl.LayersModel, xs: tf.Tensor, ys: tf.Tensor): GradientResult {
  const { loss, accuracy, grads } = lossAndGradients(model, xs, ys);
  const result = { loss: loss.dataSync()[0]!, accuracy: accuracy.dataSync()[0]!, grads };
  tf.dispose([loss, accuracy]);
  return result;
}

/** Copies the JavaScript mirror of the weights into the model's variables. */
export function assignWeights(variables: tf.Variable[], weights: Float32Array[]): void {
  variables.forEach((variable, i) => {
    const value = tf.tensor(weights[i]!, variable.shape);
    variable.assign(value);
    value.dispose();
  });
}
