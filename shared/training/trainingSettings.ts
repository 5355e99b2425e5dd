import * as v from 'valibot';

/**
 * The constants of every optimiser, as tfjs' and Keras' defaults have them (epsilon is the float32
 * backends' 1e-7). tfjs' optimisers and the data-parallel trainer's own update both take them from here.
 */
export const optimizerConstants = { epsilon: 1e-7, adamBeta1: 0.9, adamBeta2: 0.999, rmspropDecay: 0.9 } as const;

export const OptimizerSchema = v.variant('type', [
  v.strictObject({ type: v.literal('adam'), learningRate: v.pipe(v.number(), v.gtValue(0), v.maxValue(1)) }),
  v.strictObject({
    type: v.literal('sgd'),
    learningRate: v.pipe(v.number(), v.gtValue(0), v.maxValue(1)),
    momentum: v.pipe(v.number(), v.minValue(0), v.maxValue(0.999)),
  }),
  v.strictObject({ type: v.literal('rmsprop'), learningRate: v.pipe(v.number(), v.gtValue(0), v.maxValue(1)) }),
]);
export type OptimizerSettings = v.InferOutput<typeof OptimizerSchema>;

/** Where val_loss comes from: the test set (as the seed does) or a held-out part of the training set. */
export const ValidationSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('test-set') }),
  v.strictObject({ kind: v.literal('holdout'), fraction: v.pipe(v.number(), v.minValue(0.01), v.maxValue(0.5)) }),
]);

/**
 * Stop when val_loss has not improved for `patience` epochs. The run always keeps and evaluates
 * its best checkpoint (Keras' ModelCheckpoint(save_best_only) with restore_best_weights), so
 * there is no separate "restore best weights" switch.
 */
export const EarlyStoppingSchema = v.strictObject({
  patience: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)),
});

export const AugmentationSchema = v.strictObject({
  /** Largest random shift, in pixels, along each axis. */
  maxShift: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6)),
  /** Largest random rotation, in degrees, either way. */
  maxRotationDegrees: v.pipe(v.number(), v.minValue(0), v.maxValue(45)),
});

export type Augmentation = v.InferOutput<typeof AugmentationSchema>;

const count = v.pipe(v.number(), v.integer(), v.minValue(1));

/** The most CPU threads one run trains on (wasm); more than the machine's cores is allowed, and only slower. */
export const maxCpuThreads = 64;

export const TrainingSettingsSchema = v.strictObject({
  optimizer: OptimizerSchema,
  batchSize: v.pipe(count, v.maxValue(4096)),
  epochs: v.pipe(count, v.maxValue(1000)),
  validation: ValidationSchema,
  earlyStopping: v.nullable(EarlyStoppingSchema),
  augmentation: v.nullable(AugmentationSchema),
  /** Seeds weight initialisation, shuffling, dropout and augmentation. */
  seed: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 31 - 1)),
  /** Train on only the first N training images (quick experiments, tests). */
  trainLimit: v.nullable(count),
  /** Validate and evaluate on only the first N test images. */
  testLimit: v.nullable(count),
  /** CPU threads for wasm training; null: every core (or MNIST_LAB_WASM_THREADS). Speed only: the result is the same. */
  threads: v.optional(v.nullable(v.pipe(count, v.maxValue(maxCpuThreads))), null),
});
export type TrainingSettings = v.InferOutput<typeof TrainingSettingsSchema>;
