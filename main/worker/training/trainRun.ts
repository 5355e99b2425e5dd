import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { classCount, isMnistSized, pixelsPerImage } from '../../../shared/mnist';
import type { BackendReport, CompactPredictions, EpochMetrics, RunSpec, StoppedBy } from '../../../shared/apiTypes';
import { predictedLabels, scorePredictions } from '../../../shared/metrics/classificationMetrics';
import { loadIdxDataset, type DatasetFiles, type LoadedDataset } from '../../common/idx/loadIdxDataset';
import { assembleTrainingBatch } from './batchAssembly';
import type { BatchTrainer } from '../trainers/batchTrainer';
import { createBatchTrainer } from '../trainers/createBatchTrainer';
import { buildModel } from './buildModel';
import { BestCheckpoint } from '../checkpoints/bestCheckpoint';
import { evaluateTestSet } from '../evaluation/evaluateTestSet';
import { predictAll } from '../evaluation/predictAll';
import { seededRandom, shuffleInPlace } from '../../../shared/training/seededRandom';
import { SubmissionPacer } from './submissionPacer';
import type { WorkerMessage } from '../../common/workerMessages';

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
  best: BestCheckpoint;
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
      ? {
          pixels: data.train.pixels.subarray(trainCount * pixelsPerImage, trainAvailable * pixelsPerImage),
          labels: data.train.labels.subarray(trainCount, trainAvailable),
        }
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
  if (!isMnistSized(data.rows, data.columns)) throw new Error(`the dataset's images are ${data.rows}×${data.columns}, not 28×28`);
  const { train, trainCount, validation, testCount } = splitData(data, settings);

  const model = buildModel(spec.layers, settings.optimizer, settings.seed);
  const trainer = await createBatchTrainer(model, {
    layers: spec.layers,
    optimizer: settings.optimizer,
    seed: settings.seed,
    backend: options.backend.active!,
    batchSize: settings.batchSize,
    threads: settings.threads,
    augmentation: settings.augmentation,
  });
  // A trainer that keeps the images itself (the WebGPU engine) gets them once, here.
  trainer.resident?.setData(train.pixels.subarray(0, trainCount * pixelsPerImage), train.labels.subarray(0, trainCount));
  // Validation and the test evaluation run where the weights are: on the engine when it trains.
  const predict = (pixels: Uint8Array, count: number) => trainer.resident?.evaluate(pixels, count) ?? predictAll(model, pixels, count);
  let outcome: FitOutcome;
  let test: Awaited<ReturnType<typeof evaluateTestSet>>;
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
    outcome = await fitEpochs(model, trainer, { train, trainCount, validation, predict }, options);
    send({ type: 'phase', phase: 'evaluating' });
    outcome.best.restore();
    trainer.resident?.push();
    test = await evaluateTestSet(model, data, testCount, predict);
  } finally {
    await trainer.dispose();
  }
  model.dispose();
  send({
    type: 'done',
    ...test,
    bestEpoch: outcome.best.bestEpoch,
    stoppedBy: outcome.stoppedBy,
    seconds: (performance.now() - started) / 1000,
  });
}

/** One epoch's training pass: loss and accuracy so far, images seen, and whether it was cut short by a stop. */
interface EpochPass {
  lossSum: number;
  correctSum: number;
  seen: number;
  seconds: number;
  interrupted: boolean;
}

/** Trains one epoch in shuffled mini-batches, sending coalesced batch events; stops after a batch when asked. */
async function trainEpoch(epoch: number, trainer: BatchTrainer, data: TrainingData, { spec, send, stopRequested }: TrainRunOptions): Promise<EpochPass> {
  const { settings } = spec;
  const { order, train, trainCount, xBuffer, yBuffer, random } = data;
  const batchesPerEpoch = Math.ceil(trainCount / settings.batchSize);
  const imagesBy = (batches: number) => Math.min(trainCount, batches * settings.batchSize);
  shuffleInPlace(order, random);
  await trainer.sync();
  trainer.resident?.startEpoch(order);
  const pacer = new SubmissionPacer();
  const started = performance.now();
  const pass: EpochPass = { lossSum: 0, correctSum: 0, seen: 0, seconds: 0, interrupted: false };
  let lastEvent = 0;
  let batch = 0;
  while (batch < batchesPerEpoch) {
    const { resident } = trainer;
    if (resident) {
      // The engine takes its batches from the order it holds: several steps a submission.
      const steps = pacer.size(batchesPerEpoch - batch);
      await pacer.submitted(steps, resident.steps(steps));
      batch += steps;
    } else {
      const indices = order.subarray(batch * settings.batchSize, imagesBy(batch + 1));
      assembleTrainingBatch(train.pixels, train.labels, indices, settings.augmentation, random, xBuffer, yBuffer);
      await trainer.step(xBuffer, yBuffer, indices.length);
      batch += 1;
    }
    pass.seen = imagesBy(batch);
    await yieldToEvents();
    const stop = stopRequested();
    const now = performance.now();
    // Metrics are read once per reporting interval (on a GPU, that is the one readback).
    if (now - lastEvent >= batchEventInterval || batch === batchesPerEpoch || stop) {
      lastEvent = now;
      const { loss, accuracy, images } = await trainer.takeMetrics();
      if (!Number.isFinite(loss)) throw new Error(`the loss became ${loss} in epoch ${epoch} by batch ${batch}: lower the learning rate`);
      pass.lossSum += loss * images;
      pass.correctSum += accuracy * images;
      const imagesPerSecond = pass.seen / ((now - started) / 1000);
      send({ type: 'batch', epoch, batch, batchesPerEpoch, loss: pass.lossSum / pass.seen, accuracy: pass.correctSum / pass.seen, imagesPerSecond });
    }
    if (stop) {
      pass.interrupted = batch < batchesPerEpoch;
      break;
    }
  }
  await pacer.drain();
  pass.seconds = (performance.now() - started) / 1000;
  return pass;
}

/** What every epoch of a run shares: the data, the shuffled order and the batch buffers. */
interface TrainingData {
  train: ImageSet;
  trainCount: number;
  order: Uint32Array;
  xBuffer: Float32Array;
  yBuffer: Float32Array;
  random: () => number;
}

/** Each image's predicted digit and its probability in 1/255ths. */
function compactPredictions(probabilities: Float32Array): CompactPredictions {
  const predicted = predictedLabels(probabilities);
  const confidence = Uint8Array.from(predicted, (digit, i) => Math.round(probabilities[i * classCount + digit]! * 255));
  return { predicted, confidence };
}

/** What fitEpochs trains on and validates with, and how it predicts (on the engine, or with the tfjs model). */
interface FitInputs {
  train: ImageSet;
  trainCount: number;
  validation: ImageSet;
  predict: (pixels: Uint8Array, count: number) => Promise<Float32Array<ArrayBuffer>>;
}

async function fitEpochs(model: tfl.LayersModel, trainer: BatchTrainer, inputs: FitInputs, options: TrainRunOptions): Promise<FitOutcome> {
  const { settings } = options.spec;
  const { train, trainCount, validation, predict } = inputs;
  const data: TrainingData = {
    train,
    trainCount,
    order: Uint32Array.from({ length: trainCount }, (_, i) => i),
    xBuffer: new Float32Array(settings.batchSize * pixelsPerImage),
    yBuffer: new Float32Array(settings.batchSize * classCount),
    random: seededRandom(settings.seed),
  };
  const best = new BestCheckpoint(model, options.modelDir, settings.earlyStopping?.patience ?? null);
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const pass = await trainEpoch(epoch, trainer, data, options);
    const stopped = options.stopRequested();
    // A partly trained epoch only counts when there is no checkpoint yet to fall back on.
    if (pass.interrupted && best.exists) return { best, stoppedBy: 'user' };
    const probabilities = await predict(validation.pixels, validation.labels.length);
    const val = scorePredictions(probabilities, validation.labels);
    // A GPU trainer's weights are read back only when they are kept.
    const isBest = await best.record(epoch, val.loss, async () => trainer.pull?.());
    const metrics: EpochMetrics = {
      epoch,
      loss: pass.lossSum / pass.seen,
      accuracy: pass.correctSum / pass.seen,
      valLoss: val.loss,
      valAccuracy: val.accuracy,
      seconds: pass.seconds,
      imagesPerSecond: pass.seen / pass.seconds,
      isBest,
      checkpointed: isBest,
    };
    // Validation on the test set: the inspector can show how these digits were read at every epoch.
    const predictions = settings.validation.kind === 'holdout' ? undefined : compactPredictions(probabilities);
    options.send({ type: 'epoch', metrics, numTensors: tf.memory().numTensors, predictions });
    if (stopped) return { best, stoppedBy: 'user' };
    if (best.patienceRanOut) return { best, stoppedBy: 'early-stopping' };
  }
  return { best, stoppedBy: 'epochs' };
}
