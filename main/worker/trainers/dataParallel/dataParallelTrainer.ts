import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { classCount, pixelsPerImage } from '../../../../shared/mnist';
import type { LayerStack } from '../../../../shared/layers/layerSpec';
import type { OptimizerSettings } from '../../../../shared/training/trainingSettings';
import { assignWeights, trainableVariables } from '../../training/gradientStep';
import type { FromHelper } from './helperMessages';
import { startHelperThread, type HelperThread } from './helperThread';
import { OptimizerStep } from './optimizerStep';
import { createSharedBuffers, optimizerSlices, splitByWeight } from './sharedBuffers';
import { shardGradients } from './shardGradients';
import { shardSizes } from './shardSizes';
import { MetricsTally } from '../metricsTally';
import { SplitChooser } from './splitChooser';

export interface DataParallelOptions {
  layers: LayerStack;
  optimizer: OptimizerSettings;
  seed: number;
  batchSize: number;
  threads: number;
  helperEntry: string;
}

type Gradients = Extract<FromHelper, { type: 'gradients' }>;

/**
 * Data-parallel training over `threads` threads, each with a replica of the model on its own
 * wasm instance (wasm runs one thread per instance; its threaded build does not work in Node).
 * Each step every thread computes the gradients of its shard of the batch, pre-scaled by its
 * share, into shared memory; then every thread updates its slice of the one shared copy of the
 * weights with the sum, and the replicas load the result. The mean of the shard gradients is
 * the batch gradient, so this is the same step one thread takes, up to rounding. Where splitting
 * the batch measures slower than leaving it to the training thread, it is left (splitChooser.ts).
 */
export async function startDataParallelTrainer(model: tfl.LayersModel, options: DataParallelOptions) {
  const variables = trainableVariables(model);
  const sizes = variables.map((v) => v.size);
  const paramCount = sizes.reduce((a, b) => a + b, 0);
  const { threads } = options;
  const buffers = createSharedBuffers(options.batchSize, pixelsPerImage, classCount, paramCount, threads);
  const slices = optimizerSlices(paramCount, threads);
  const started = await Promise.allSettled(
    slices.slice(1).map((slice, i) =>
      startHelperThread(options.helperEntry, {
        index: i + 1,
        layers: options.layers,
        optimizer: options.optimizer,
        seed: options.seed,
        buffers,
        sizes,
        slice,
      }),
    ),
  );
  const helpers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await Promise.all(helpers.map((helper) => helper.terminate()));
    throw failed.reason;
  }
  return new DataParallelTrainer(model, variables, sizes, buffers, helpers, new OptimizerStep(options.optimizer, ...slices[0]!));
}

class DataParallelTrainer {
  readonly threads: number;
  private readonly input: Float32Array;
  private readonly labels: Float32Array;
  private readonly weights: Float32Array;
  private readonly grads: Float32Array[][];
  private slot: 0 | 1 = 0;
  /** Each thread's speed in images per millisecond, smoothed: shards are sized by it. */
  private readonly rates: number[];
  private measured = false;
  private readonly tally = new MetricsTally();
  private readonly chooser = new SplitChooser();

  constructor(
    private readonly model: tfl.LayersModel,
    private readonly variables: tf.Variable[],
    private readonly sizes: number[],
    buffers: ReturnType<typeof createSharedBuffers>,
    private readonly helpers: HelperThread[],
    private readonly optimizer: OptimizerStep,
  ) {
    this.threads = helpers.length + 1;
    this.input = new Float32Array(buffers.input);
    this.labels = new Float32Array(buffers.labels);
    this.weights = new Float32Array(buffers.weights);
    this.grads = buffers.grads.map((slots) => slots.map((buffer) => new Float32Array(buffer)));
    this.rates = Array.from({ length: this.threads }, () => 1);
  }

  /** Every replica (and the shared copy) takes the model's exact weights, trainable or not. */
  async sync(): Promise<void> {
    let offset = 0;
    for (const variable of this.variables) {
      this.weights.set(variable.dataSync() as Float32Array, offset);
      offset += variable.size;
    }
    const values = this.model.getWeights().map((w) => w.dataSync() as Float32Array);
    for (const helper of this.helpers) helper.post({ type: 'weights', values });
  }

  async step(x: Float32Array, y: Float32Array, count: number) {
    const stepStarted = performance.now();
    const split = this.helpers.length > 0 && this.chooser.next();
    const shards = split ? shardSizes(count, this.rates) : [count, ...this.helpers.map(() => 0)];
    const slot = this.slot;
    const own = shards[0]!;
    this.input.set(x.subarray(own * pixelsPerImage, count * pixelsPerImage), own * pixelsPerImage);
    this.labels.set(y.subarray(own * classCount, count * classCount), own * classCount);
    let offset = own;
    this.helpers.forEach((helper, i) => {
      const n = shards[i + 1]!;
      helper.post({ type: 'gradients', offset, count: n, scale: n / count, slot });
      offset += n;
    });

    const ownStarted = performance.now();
    const mine = shardGradients(this.model, x, y, own, this.grads[0]![slot]!, own / count);
    const ownMs = performance.now() - ownStarted;

    const theirs = (await Promise.all(this.helpers.map((helper) => helper.next()))) as Gradients[];
    for (const helper of this.helpers) helper.post({ type: 'apply', slot });
    this.optimizer.apply(
      this.weights,
      this.grads.map((slots) => slots[slot]!),
    );
    await Promise.all(this.helpers.map((helper) => helper.next()));
    assignWeights(this.variables, splitByWeight(this.weights, this.sizes));
    this.slot = slot === 0 ? 1 : 0;

    if (split) this.updateRates([ownMs, ...theirs.map((t) => t.milliseconds)], shards);
    if (this.helpers.length > 0) this.chooser.record(performance.now() - stepStarted);
    this.tally.add(mine.loss, mine.accuracy, own);
    theirs.forEach((t, i) => this.tally.add(t.loss, t.accuracy, shards[i + 1]!));
  }

  async takeMetrics() {
    return this.tally.take();
  }

  /** How many steps since the last call split their batch over the threads (see splitChooser.ts), of how many. */
  takeSplitCounts(): { split: number; all: number } {
    return this.chooser.takeCounts();
  }

  private updateRates(milliseconds: number[], shards: number[]): void {
    const keep = this.measured ? 0.8 : 0;
    milliseconds.forEach((ms, t) => {
      if (shards[t]! > 0 && ms > 0) this.rates[t] = keep * this.rates[t]! + (1 - keep) * (shards[t]! / ms);
    });
    this.measured = true;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.helpers.map((helper) => helper.terminate()));
  }
}
