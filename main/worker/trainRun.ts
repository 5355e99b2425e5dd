import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { classCount } from '../../shared/layers/layerSpec';
import type { BackendReport, EpochMetrics, RunSpec, StoppedBy } from '../../shared/apiTypes';
import { scorePredictions } from '../../shared/metrics/classificationMetrics';
import { loadIdxDataset, type DatasetFiles, type LoadedDataset } from '../common/idx/loadIdxDataset';
import { augmentInPlace, normalizeImages, oneHot } from './batchAssembly';
import { createBatchTrainer, type BatchTrainer } from './batchTrainer';
import { buildModel } from './buildModel';
import { checkpointWriter } from './checkpointWriter';
import { evaluateTestSet } from './evaluateTestSet';
import { predictAll } from './predictAll';
import { seededRandom, shuffleInPlace } from './seededRandom';
import type { WorkerMessage } from '../common/workerMessages';

/** Batch events go out at most this often (~20 per second), whatever the batch rate. */
const batchEventInterval = 50;

export interface TrainRunOptions {
  spec: RunSpec;
  files: DatasetFiles;
  modelDir: string;
  backend: BackendReport;
  send: (message: WorkerMessage) => void;
  /** True once the user asked to stop; checked after every batch. */
  stopRequested: () => boolean;
}

interface ImageSet {
  pixels: Uint8Array;
  labels: Uint8Array;
}

interface FitOutcome {
  bestEpoch: number;
  bestWeights: tf.Tensor[] | null;
  stoppedBy: StoppedBy;
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Training images (the first trainLimit, less a held-out tail) and validation images. */
function splitData(data: LoadedDataset, settings: RunSpec['settings']) {
  const trainAvailable = Math.min(settings.trainLimit ?? Infinity, data.train.count);
  const testCount = Math.min(settings.testLimit ?? Infinity, data.test.count);
  const holdout = settings.validation.kind === 'holdout' ? Math.floor(trainAvailable * settings.validation.fraction) : 0;
  const trainCount = trainAvailable - holdout;
  if (trainCount < 1) throw new Error('no training images left after the validation split');
  // Validation: the test set (as the seed does) or the last part of the training set (as Keras' validation_split).
  const validation: ImageSet =
    holdout > 0
      ? { pixels: data.train.pixels.subarray(trainCount * 784, trainAvailable * 784), labels: data.train.labels.subarray(trainCount, trainAvailable) }
      : { pixels: data.test.pixels, labels: data.test.labels.subarray(0, testCount) };
  return { train: data.train, trainCount, validation, testCount };
}

/**
 * The seed's training procedure: mini-batch training with shuffling, validation after every
 * epoch, a checkpoint whenever val_loss improves, early stopping on val_loss, and a final
 * evaluation of the best checkpoint on the test set.
 */
export async function trainRun(options: TrainRunOptions): Promise<void> {
  const { spec, send } = options;
  const { settings } = spec;
  const started = performance.now();
  send({ type: 'phase', phase: 'loading-data' });
  const data = await loadIdxDataset(options.files);
  if (data.rows !== 28 || data.columns !== 28) throw new Error(`the dataset's images are ${data.rows}×${data.columns}, not 28×28`);
  const { train, trainCount, validation, testCount } = splitData(data, settings);

  const model = buildModel(spec.layers, settings.optimizer, settings.seed);
  const trainer = await createBatchTrainer(model, {
    layers: spec.layers,
    optimizer: settings.optimizer,
    seed: settings.seed,
    backend: options.backend.active!,
    batchSize: settings.batchSize,
  });
  let outcome: FitOutcome;
  try {
    send({
      type: 'started',
      backend: options.backend,
      threads: trainer.threads,
      trainCount,
      validationCount: validation.labels.length,
      batchesPerEpoch: Math.ceil(trainCount / settings.batchSize),
    });
    send({ type: 'phase', phase: 'training' });
    outcome = await fitEpochs(model, trainer, train, trainCount, validation, options);
  } finally {
    await trainer.dispose();
  }

  send({ type: 'phase', phase: 'evaluating' });
  if (outcome.bestWeights) {
    model.setWeights(outcome.bestWeights);
    tf.dispose(outcome.bestWeights);
  }
  const test = await evaluateTestSet(model, data, testCount);
  model.dispose();
  send({
    type: 'done',
    ...test,
    bestEpoch: outcome.bestEpoch,
    stoppedBy: outcome.stoppedBy,
    seconds: (performance.now() - started) / 1000,
  });
}

async function fitEpochs(
  model: tfl.LayersModel,
  trainer: BatchTrainer,
  train: ImageSet,
  trainCount: number,
  validation: ImageSet,
  { spec, modelDir, send, stopRequested }: TrainRunOptions,
): Promise<FitOutcome> {
  const { settings } = spec;
  const random = seededRandom(settings.seed);
  const batchSize = settings.batchSize;
  const batchesPerEpoch = Math.ceil(trainCount / batchSize);
  const order = Uint32Array.from({ length: trainCount }, (_, i) => i);
  const xBuffer = new Float32Array(batchSize * 784);
  const yBuffer = new Float32Array(batchSize * classCount);
  let bestValLoss = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let epochsSinceBest = 0;
  let stoppedBy: StoppedBy = 'epochs';

  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    shuffleInPlace(order, random);
    await trainer.sync();
    const epochStart = performance.now();
    let seen = 0;
    let lossSum = 0;
    let correctSum = 0;
    let lastEvent = 0;
    let interrupted = false;
    for (let batch = 1; batch <= batchesPerEpoch; batch++) {
      const indices = order.subarray((batch - 1) * batchSize, Math.min(trainCount, batch * batchSize));
      const n = indices.length;
      normalizeImages(train.pixels, indices, xBuffer);
      if (settings.augmentation) augmentInPlace(xBuffer, n, settings.augmentation, random);
      oneHot(train.labels, indices, yBuffer);
      const { loss, accuracy } = await trainer.step(xBuffer, yBuffer, n);
      if (!Number.isFinite(loss)) throw new Error(`the loss became ${loss} in epoch ${epoch}, batch ${batch}: lower the learning rate`);
      seen += n;
      lossSum += loss * n;
      correctSum += accuracy * n;
      const now = performance.now();
      if (now - lastEvent >= batchEventInterval || batch === batchesPerEpoch) {
        lastEvent = now;
        send({ type: 'batch', epoch, batch, batchesPerEpoch, loss: lossSum / seen, accuracy: correctSum / seen, imagesPerSecond: seen / ((now - epochStart) / 1000) });
      }
      await yieldToEvents();
      if (stopRequested()) {
        interrupted = batch < batchesPerEpoch;
        stoppedBy = 'user';
        break;
      }
    }
    const seconds = (performance.now() - epochStart) / 1000;
    // A partly trained epoch only counts when there is no checkpoint yet to fall back on.
    if (interrupted && bestWeights) break;

    const val = scorePredictions(await predictAll(model, validation.pixels, validation.labels.length), validation.labels);
    const isBest = val.loss < bestValLoss;
    if (isBest) {
      bestValLoss = val.loss;
      bestEpoch = epoch;
      epochsSinceBest = 0;
      if (bestWeights) tf.dispose(bestWeights);
      bestWeights = model.getWeights().map((w) => w.clone());
      await model.save(checkpointWriter(modelDir, String(epoch)));
    } else {
      epochsSinceBest++;
    }
    const metrics: EpochMetrics = {
      epoch,
      loss: lossSum / seen,
      accuracy: correctSum / seen,
      valLoss: val.loss,
      valAccuracy: val.accuracy,
      seconds,
      imagesPerSecond: seen / seconds,
      isBest,
      checkpointed: isBest,
    };
    send({ type: 'epoch', metrics, numTensors: tf.memory().numTensors });
    if (stoppedBy === 'user') break;
    if (settings.earlyStopping && epochsSinceBest >= settings.earlyStopping.patience) {
      stoppedBy = 'early-stopping';
      break;
    }
  }
  return { bestEpoch, bestWeights, stoppedBy };
}
