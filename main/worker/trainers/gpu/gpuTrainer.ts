import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { OptimizerSettings } from '../../../../shared/training/trainingSettings';
import { batchTensors } from '../../training/batchAssembly';
import type { BatchTrainer } from '../batchTrainer';
import { lossAndGradients, trainableVariables } from '../../training/gradientStep';
import { FusedOptimizer } from './fusedOptimizer';
import { gpuErrorWatch, runSize } from './gpuErrorWatch';

/**
 * Training on WebGPU without waiting for the GPU: each step queues its kernels and the fused
 * optimiser update, and adds the batch's loss and accuracy to sums that stay on the GPU; only
 * takeMetrics reads them back, once per reporting interval, so JavaScript keeps queueing the
 * next steps while the GPU works.
 */
export function gpuTrainer(model: tfl.LayersModel, settings: { optimizer: OptimizerSettings; batchSize: number }): BatchTrainer {
  const variables = trainableVariables(model);
  const optimizer = new FusedOptimizer(settings.optimizer, variables);
  const parameters = variables.reduce((n, v) => n + v.size, 0);
  const errors = gpuErrorWatch(runSize(parameters, settings.batchSize));
  let lossSum = tf.scalar(0);
  let correctSum = tf.scalar(0);
  let images = 0;

  return {
    threads: 1,
    async step(x, y, count) {
      const { xs, ys } = batchTensors(x, y, count);
      const { loss, accuracy, grads } = lossAndGradients(model, xs, ys);
      optimizer.apply(grads);
      const [nextLoss, nextCorrect] = tf.tidy(() => [tf.add(lossSum, tf.mul(loss, count)), tf.add(correctSum, tf.mul(accuracy, count))]);
      tf.dispose([xs, ys, loss, accuracy, lossSum, correctSum]);
      lossSum = nextLoss!;
      correctSum = nextCorrect!;
      images += count;
    },
    async takeMetrics() {
      const read = Promise.all([lossSum.data(), correctSum.data()]);
      // A failed allocation makes the readback fail too: say what happened first.
      read.catch(() => undefined);
      await errors.check();
      const [lossTotal, correctTotal] = await read;
      const taken = { loss: lossTotal[0]! / images, accuracy: correctTotal[0]! / images, images };
      tf.dispose([lossSum, correctSum]);
      lossSum = tf.scalar(0);
      correctSum = tf.scalar(0);
      images = 0;
      return taken;
    },
    sync: async () => undefined,
    async dispose() {
      optimizer.dispose();
      tf.dispose([lossSum, correctSum]);
      await errors.stop();
    },
  };
}
