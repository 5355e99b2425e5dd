import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchTensors } from '../../training/batchAssembly';
import { computeGradients } from '../../training/gradientStep';
import { writeScaledGradients } from './sharedBuffers';

/**
 * One thread's part of a step: the loss, accuracy and gradients of its `count` images, the
 * gradients written pre-scaled into `target`. The training thread and the helpers both run it.
 */
export function shardGradients(model: tfl.LayersModel, images: Float32Array, labels: Float32Array, count: number, target: Float32Array, scale: number) {
  const { xs, ys } = batchTensors(images, labels, count);
  const { loss, accuracy, grads } = computeGradients(model, xs, ys);
  tf.dispose([xs, ys]);
  writeScaledGradients(grads, target, scale);
  tf.dispose(grads);
  return { loss, accuracy };
}
