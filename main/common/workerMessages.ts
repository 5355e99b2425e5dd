import * as v from 'valibot';
import { LayerStackSchema } from '../../shared/layers/layerSpec';
import {
  BackendChoiceSchema,
  BackendReportSchema,
  CompactPredictionsSchema,
  EpochMetricsSchema,
  maxEnsembleMembers,
  RunSpecSchema,
  StoppedBySchema,
  TrainBatchEventSchema,
  TrainPhaseEventSchema,
  TrainStartedEventSchema,
} from '../../shared/apiTypes';

// Messages between main/core/workerHost.ts and the training worker process. Both sides validate
// what they receive: a worker is another process and may be of another build.

const DatasetFilesSchema = v.strictObject({
  trainImages: v.string(),
  trainLabels: v.string(),
  testImages: v.string(),
  testLabels: v.string(),
});

const ImportedWeightsSchema = v.array(
  v.strictObject({ name: v.string(), shape: v.array(v.pipe(v.number(), v.integer(), v.minValue(0))), values: v.instance(Float32Array) }),
);

export const HostMessageSchema = v.variant('type', [
  /** Load the requested backend, report what was chosen and why better ones failed, then idle. */
  v.strictObject({ type: v.literal('probe'), backend: BackendChoiceSchema }),
  /** Train one run; the worker writes the checkpoint into `modelDir` itself. */
  v.strictObject({ type: v.literal('train'), runId: v.string(), modelDir: v.string(), spec: RunSpecSchema, files: DatasetFilesSchema }),
  /** Time training steps of a preset on real images, for `npm run bench`. */
  v.strictObject({
    type: v.literal('bench'),
    backend: BackendChoiceSchema,
    presetId: v.string(),
    batchSize: v.number(),
    warmupBatches: v.number(),
    batches: v.number(),
    /** wasm threads; null: as a run would choose. */
    threads: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1))),
    files: DatasetFilesSchema,
  }),
  /** Evaluate the checkpoint in `modelDir` on the test set (a run whose worker died had one). */
  v.strictObject({
    type: v.literal('evaluate'),
    backend: BackendChoiceSchema,
    modelDir: v.string(),
    files: DatasetFilesSchema,
    testLimit: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1))),
  }),
  /** Build `layers`, give them the imported weights, save the checkpoint into `modelDir`, then evaluate it on the test set. */
  v.strictObject({
    type: v.literal('import'),
    backend: BackendChoiceSchema,
    modelDir: v.string(),
    layers: LayerStackSchema,
    weights: ImportedWeightsSchema,
    files: DatasetFilesSchema,
  }),
  /** Build `layers` with weights read back from an exported file and read the first `count` test images, then `sketches` (answered with 'predictions'). */
  v.strictObject({
    type: v.literal('readBack'),
    backend: BackendChoiceSchema,
    layers: LayerStackSchema,
    weights: ImportedWeightsSchema,
    files: DatasetFilesSchema,
    count: v.pipe(v.number(), v.integer(), v.minValue(1)),
    /** Sketches (n × 784 values 0–1) read after the test images, their rows following. */
    sketches: v.instance(Float32Array),
  }),
  /** Read preprocessed images (n × 784 values 0–1) with the checkpoints in `modelDirs`, their outputs averaged (`npm run predict`). */
  v.strictObject({
    type: v.literal('predict'),
    backend: BackendChoiceSchema,
    modelDirs: v.pipe(v.array(v.string()), v.minLength(1), v.maxLength(maxEnsembleMembers)),
    inputs: v.instance(Float32Array),
  }),
  /** Finish after the current batch, then evaluate the best checkpoint. */
  v.strictObject({ type: v.literal('stop') }),
]);
export type HostMessage = v.InferOutput<typeof HostMessageSchema>;

const { runId: _startedRunId, ...startedFields } = TrainStartedEventSchema.entries;
const { runId: _batchRunId, ...batchFields } = TrainBatchEventSchema.entries;

export const WorkerMessageSchema = v.variant('type', [
  v.object({ type: v.literal('backend'), report: BackendReportSchema }),
  v.object({ type: v.literal('phase'), phase: TrainPhaseEventSchema.entries.phase }),
  v.object({ type: v.literal('started'), ...startedFields }),
  v.object({ type: v.literal('batch'), ...batchFields }),
  v.object({
    type: v.literal('epoch'),
    metrics: EpochMetricsSchema,
    /** tf.memory().numTensors after the epoch: flat across epochs unless something leaks. */
    numTensors: v.number(),
    /** How the epoch's model read the validation images, when they are the test set. */
    predictions: v.optional(CompactPredictionsSchema),
  }),
  v.object({
    type: v.literal('done'),
    testLoss: v.number(),
    testAccuracy: v.number(),
    bestEpoch: v.number(),
    stoppedBy: StoppedBySchema,
    seconds: v.number(),
    labels: v.instance(Uint8Array),
    probabilities: v.instance(Float32Array),
  }),
  /** The answer to 'evaluate' and 'import'. */
  v.object({
    type: v.literal('evaluation'),
    testLoss: v.number(),
    testAccuracy: v.number(),
    labels: v.instance(Uint8Array),
    probabilities: v.instance(Float32Array),
  }),
  /** The answer to 'predict' and 'readBack': n × 10 probabilities. */
  v.object({ type: v.literal('predictions'), probabilities: v.instance(Float32Array) }),
  v.object({
    type: v.literal('bench'),
    imagesPerSecond: v.number(),
    images: v.number(),
    seconds: v.number(),
    finalLoss: v.number(),
    threads: v.number(),
    /** The GPU or WebGPU adapter it ran on ("(software)" for SwiftShader and the like); null on the CPU. */
    adapter: v.nullable(v.string()),
    /** The WebGPU engine's figures, where it trained: dispatches and JavaScript time a step (mean, and the median submission's), and a step's work. */
    engine: v.nullable(v.object({ dispatchesPerStep: v.number(), jsMsPerStep: v.number(), jsMsPerStepMedian: v.number(), gflopsPerStep: v.number() })),
    /** On wasm: the instruction set of our own kernels, and which of them ran. */
    wasmKernels: v.nullable(v.object({ simd: v.string(), ran: v.array(v.string()) })),
    /** On several wasm threads: how many timed steps split their batch over them (splitChooser.ts), of how many. */
    splitSteps: v.nullable(v.object({ split: v.number(), all: v.number() })),
  }),
  v.object({ type: v.literal('error'), message: v.string() }),
]);
export type WorkerMessage = v.InferOutput<typeof WorkerMessageSchema>;
