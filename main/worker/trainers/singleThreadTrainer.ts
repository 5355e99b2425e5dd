import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchTensors } from '../training/batchAssembly';
import type { BatchTrainer } from './batchTrainer';
import { MetricsTally } from './metricsTally';

/** tfjs' own training step, on whatever backend is set: the CPU and CUDA backends parallelise inside their kernels. */
export function singleThreadTrainer(model: tfl.LayersModel): BatchTrainer {
  const tally = new MetricsTally();
  return {
    threads: 1,
    async step(x, y, count) {
      const { xs, ys } = batchTensors(x, y, count);
      const [loss, accuracy] = (await model.trainOnBatch(xs, ys)) as number[];
      tf.dispose([xs, ys]);
      tally.add(loss!, accuracy!, count);
    },
    takeMetrics: async () => tally.take(),
    sync: async () => undefined,
    dispose: async () => undefined,
  };
}
