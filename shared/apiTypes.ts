import * as v from 'valibot';
import { LayerStackSchema } from './layers/layerSpec';
import { TrainingSettingsSchema } from './training/trainingSettings';
import { pixelsPerImage } from './mnist';
import { backendReasons, type BackendReasonKey } from './backendReasons';

// Payload schemas of the API contract (shared/api.ts). Types are inferred from them, so the
// validation every transport applies and the types the code is checked against cannot drift.

const int = v.pipe(v.number(), v.integer());
const nonNegativeInt = v.pipe(int, v.minValue(0));
const finite = v.pipe(v.number(), v.finite());
/** Run and dataset ids. They are folder names too, so nothing in them can be misread as a path. */
export const idPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
const id = v.pipe(v.string(), v.regex(idPattern, 'ids are lower-case letters, digits and dashes'));
const digit = v.pipe(int, v.minValue(0), v.maxValue(9));

// ---- System ----

/** cuda: tfjs-node-gpu; webgpu: Dawn (any GPU through Vulkan, Metal or D3D12); cpu: tfjs-node (native libtensorflow); wasm: tfjs-backend-wasm; js: pure JavaScript. In `auto`'s order. */
export const backendNames = ['cuda', 'webgpu', 'cpu', 'wasm', 'js'] as const;
/** What a user may ask for: a backend, or `auto` (the first of backendNames, in order, that loads). */
export const backendChoices = ['auto', ...backendNames] as const;
export const BackendNameSchema = v.picklist(backendNames);
export type BackendName = v.InferOutput<typeof BackendNameSchema>;
export const BackendChoiceSchema = v.picklist(backendChoices);
export type BackendChoice = v.InferOutput<typeof BackendChoiceSchema>;

export const BackendCandidateSchema = v.object({
  name: BackendNameSchema,
  /** The package that provides it, e.g. @tensorflow/tfjs-node-gpu. */
  packageName: v.string(),
  available: v.boolean(),
  /** Why it cannot be used here, in words a user can act on; null when available. */
  reason: v.nullable(v.string()),
  /** The same reason as a key and parameters (shared/backendReasons.ts), for the interface to word in the user's language. */
  why: v.nullable(
    v.object({
      key: v.picklist(Object.keys(backendReasons) as BackendReasonKey[]),
      params: v.record(v.string(), v.string()),
      dawnNotes: v.optional(v.string()),
    }),
  ),
});
export type BackendCandidate = v.InferOutput<typeof BackendCandidateSchema>;

export const GpuInfoSchema = v.object({ name: v.string(), memoryMB: v.nullable(finite) });

export const BackendReportSchema = v.object({
  requested: BackendChoiceSchema,
  /** The backend training will use; null when none of the requested ones loads. */
  active: v.nullable(BackendNameSchema),
  candidates: v.array(BackendCandidateSchema),
  gpu: v.nullable(GpuInfoSchema),
  tfjsVersion: v.string(),
  /** On wasm, the instruction set our own kernels run: fused multiply-add ('relaxed SIMD') where the runtime has it. */
  wasmSimd: v.optional(v.picklist(['relaxed SIMD', 'SIMD'])),
});
export type BackendReport = v.InferOutput<typeof BackendReportSchema>;

export const SystemInfoSchema = v.object({
  appVersion: v.string(),
  /** 'electron' or 'browser' (served by `npm run serve`) or 'cli'. */
  shell: v.picklist(['electron', 'browser', 'cli']),
  platform: v.string(),
  nodeVersion: v.string(),
  electronVersion: v.nullable(v.string()),
  cpuModel: v.string(),
  cpuCount: nonNegativeInt,
  dataDir: v.string(),
  backend: BackendReportSchema,
});
export type SystemInfo = v.InferOutput<typeof SystemInfoSchema>;

// ---- Datasets ----

export const SplitSchema = v.picklist(['train', 'test']);
export type Split = v.InferOutput<typeof SplitSchema>;

export const SplitSummarySchema = v.object({
  count: nonNegativeInt,
  /** Images per label 0–9. */
  classCounts: v.array(nonNegativeInt),
});
export type SplitSummary = v.InferOutput<typeof SplitSummarySchema>;

export const DatasetSummarySchema = v.object({
  id,
  name: v.string(),
  /** The MNIST shipped with the app; it cannot be removed. */
  builtIn: v.boolean(),
  rows: nonNegativeInt,
  columns: nonNegativeInt,
  train: SplitSummarySchema,
  test: SplitSummarySchema,
  /** Why a stored dataset cannot be used (its dataset.json is damaged); null when it is sound. It can still be removed. */
  damaged: v.nullable(v.string()),
});
export type DatasetSummary = v.InferOutput<typeof DatasetSummarySchema>;

export const ImportDatasetRequestSchema = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'a dataset needs a name'), v.maxLength(80)),
  /** A folder (on the machine running the app) holding the four IDX files, plain or .gz. */
  directory: v.pipe(v.string(), v.minLength(1, 'choose a folder'), v.maxLength(4096, 'a folder path has at most 4096 characters')),
});
export type ImportDatasetRequest = v.InferOutput<typeof ImportDatasetRequestSchema>;

export const DatasetRefSchema = v.strictObject({ datasetId: id });
export type DatasetRef = v.InferOutput<typeof DatasetRefSchema>;

export const maxPageSize = 2000;

export const ImagePageRequestSchema = v.strictObject({
  datasetId: id,
  split: SplitSchema,
  /** Only images with this label; null for all. */
  label: v.nullable(digit),
  /** Position in the (filtered) split. */
  offset: nonNegativeInt,
  count: v.pipe(int, v.minValue(1), v.maxValue(maxPageSize)),
});
export type ImagePageRequest = v.InferOutput<typeof ImagePageRequestSchema>;

export const ImagePageSchema = v.object({
  datasetId: id,
  split: SplitSchema,
  label: v.nullable(digit),
  /** Images in the filtered split, so the grid knows its height. */
  total: nonNegativeInt,
  offset: nonNegativeInt,
  /** Index of each image in the split. */
  indices: v.instance(Uint32Array),
  labels: v.instance(Uint8Array),
  /** n × rows × columns bytes, 0–255, row-major. */
  pixels: v.instance(Uint8Array),
});
export type ImagePage = v.InferOutput<typeof ImagePageSchema>;

// ---- Training and runs ----

export const RunSpecSchema = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120)),
  datasetId: id,
  /** The preset it started from, if any. */
  presetId: v.nullable(v.string()),
  layers: LayerStackSchema,
  settings: TrainingSettingsSchema,
  backend: BackendChoiceSchema,
});
export type RunSpec = v.InferOutput<typeof RunSpecSchema>;

export const RunRefSchema = v.strictObject({ runId: id });
export type RunRef = v.InferOutput<typeof RunRefSchema>;

export const RenameRunRequestSchema = v.strictObject({
  runId: id,
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'a run needs a name'), v.maxLength(120)),
});
export type RenameRunRequest = v.InferOutput<typeof RenameRunRequestSchema>;

/** imported: made from another tool's model file, not trained here; ensemble: the mean of other runs' models; interrupted: its process died mid-run; damaged: its run.json cannot be read (it can still be deleted). */
export const RunStatusSchema = v.picklist(['running', 'completed', 'stopped', 'failed', 'imported', 'ensemble', 'interrupted', 'damaged']);
export type RunStatus = v.InferOutput<typeof RunStatusSchema>;

/** keras-h5: Keras' HDF5 model file; keras: Keras 3's .keras zip; tfjs: tfjs' layers format. */
export const ImportedFormatSchema = v.picklist(['keras-h5', 'keras', 'tfjs']);
export type ImportedFormat = v.InferOutput<typeof ImportedFormatSchema>;

/** Where an imported run's model came from. */
export const ImportedFromSchema = v.object({
  fileName: v.string(),
  format: ImportedFormatSchema,
  /** What was changed to fit MNIST Lab (a Flatten added in front, a softmax folded in), a sentence each. */
  notes: v.array(v.string()),
});
export type ImportedFrom = v.InferOutput<typeof ImportedFromSchema>;

/** A run an ensemble was made from, as it was then (the ensemble keeps its own copy of the member's checkpoint). */
export const EnsembleMemberSchema = v.object({
  runId: id,
  name: v.string(),
  testAccuracy: finite,
  params: v.nullable(nonNegativeInt),
});
export type EnsembleMember = v.InferOutput<typeof EnsembleMemberSchema>;

/** An ensemble averages at most this many models: each one reads every sketch. */
export const maxEnsembleMembers = 10;

export const CreateEnsembleRequestSchema = v.strictObject({
  runIds: v.pipe(
    v.array(id),
    v.minLength(2, 'an ensemble needs at least two runs'),
    v.maxLength(maxEnsembleMembers, `an ensemble has at most ${maxEnsembleMembers} runs`),
  ),
  /** Its name in the history; null: "Ensemble of" and the members' names. */
  name: v.nullable(v.pipe(v.string(), v.trim(), v.minLength(1, 'a run needs a name'), v.maxLength(120))),
});
export type CreateEnsembleRequest = v.InferOutput<typeof CreateEnsembleRequestSchema>;

export const StoppedBySchema = v.picklist(['epochs', 'early-stopping', 'user']);
export type StoppedBy = v.InferOutput<typeof StoppedBySchema>;

export const EpochMetricsSchema = v.object({
  epoch: v.pipe(int, v.minValue(1)),
  loss: finite,
  accuracy: finite,
  valLoss: finite,
  valAccuracy: finite,
  /** Training time of the epoch, without validation. */
  seconds: finite,
  imagesPerSecond: finite,
  /** val_loss improved on every earlier epoch. */
  isBest: v.boolean(),
  /** The model was saved as the run's best checkpoint after this epoch. */
  checkpointed: v.boolean(),
});
export type EpochMetrics = v.InferOutput<typeof EpochMetricsSchema>;

export const RunSummarySchema = v.object({
  id,
  name: v.string(),
  createdAt: v.string(),
  datasetId: v.string(),
  presetId: v.nullable(v.string()),
  status: RunStatusSchema,
  backend: v.nullable(BackendNameSchema),
  epochsDone: nonNegativeInt,
  bestEpoch: v.nullable(int),
  bestValLoss: v.nullable(finite),
  testAccuracy: v.nullable(finite),
  testLoss: v.nullable(finite),
  stoppedBy: v.nullable(StoppedBySchema),
  error: v.nullable(v.string()),
  /** The model's parameters, from its spec; null when spec.json is damaged. */
  params: v.nullable(nonNegativeInt),
  /** The best epoch's validation accuracy. */
  bestValAccuracy: v.nullable(finite),
  /** Wall-clock seconds from start to end (to now while it runs); null when unknown. */
  seconds: v.nullable(finite),
  /** The best checkpoint loads: model.json parses and every weights file has its manifest's size. */
  hasCheckpoint: v.boolean(),
  hasEvaluation: v.boolean(),
  /** Files of the run that could not be read, with the reason. */
  damaged: v.array(v.string()),
  /** The model file an imported run was made from; null for runs trained here. */
  importedFrom: v.nullable(ImportedFromSchema),
  /** The runs an ensemble averages, in order; null for a single model. */
  ensembleOf: v.nullable(v.array(EnsembleMemberSchema)),
  /** Its settings by the names sweeps use (learningRate, batchSize, dropout…), for the history's filters; empty when spec.json is damaged. */
  settings: v.record(v.string(), v.union([v.number(), v.string()])),
});
export type RunSummary = v.InferOutput<typeof RunSummarySchema>;

/** One point of the training curve within an epoch (what a batch event carried). */
export const BatchPointSchema = v.object({
  epoch: v.pipe(int, v.minValue(1)),
  batch: v.pipe(int, v.minValue(1)),
  batchesPerEpoch: nonNegativeInt,
  loss: finite,
  accuracy: finite,
});
export type BatchPoint = v.InferOutput<typeof BatchPointSchema>;

export const RunDetailSchema = v.object({
  summary: RunSummarySchema,
  /** Null when spec.json is damaged (named in `damaged`). */
  spec: v.nullable(RunSpecSchema),
  epochs: v.array(EpochMetricsSchema),
  /** The batch curve so far (at most ~20 points a second of training), for redrawing a run's charts. */
  batches: v.array(BatchPointSchema),
  /** Where the best checkpoint is, on the machine running the lab (an ensemble: the folder of its members'). */
  modelPath: v.string(),
  /** Every checkpoint that reads an image: the run's one, or each member's of an ensemble. */
  modelPaths: v.array(v.string()),
  /** Files of the run that could not be read, with the reason; the rest is still shown. */
  damaged: v.array(v.string()),
});
export type RunDetail = v.InferOutput<typeof RunDetailSchema>;

export const EvaluationSchema = v.object({
  runId: id,
  testLoss: finite,
  testAccuracy: finite,
  count: nonNegativeInt,
  /** confusion[actual][predicted]. */
  confusion: v.array(v.array(nonNegativeInt)),
  labels: v.instance(Uint8Array),
  predicted: v.instance(Uint8Array),
  /** count × 10 softmax outputs. */
  probabilities: v.instance(Float32Array),
});
export type Evaluation = v.InferOutput<typeof EvaluationSchema>;

/** How a model read a set of images: each one's predicted digit and that digit's probability in 1/255ths. */
export const CompactPredictionsSchema = v.object({ predicted: v.instance(Uint8Array), confidence: v.instance(Uint8Array) });
export type CompactPredictions = v.InferOutput<typeof CompactPredictionsSchema>;

/** How a run read its test digits after each epoch it kept (validating on the test set), for the inspector's epoch slider. */
export const EpochPredictionsSchema = v.object({
  runId: id,
  /** Test digits per epoch: the first `count` of the test set, as in the run's evaluation. */
  count: nonNegativeInt,
  /** The epochs kept, in order: every one, or a bounded sample of a very long run (always the best and the last). */
  epochs: v.array(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** epochs.length × count predicted digits, epoch after epoch. */
  predicted: v.instance(Uint8Array),
  /** epochs.length × count probabilities of the predicted digit, in 1/255ths. */
  confidence: v.instance(Uint8Array),
  /** Epoch files that could not be read, each with the reason; the others are still shown. */
  damaged: v.array(v.object({ file: v.string(), detail: v.string() })),
});
export type EpochPredictions = v.InferOutput<typeof EpochPredictionsSchema>;

/** One model of a run: its checkpoint, or member `member` (from 0) of an ensemble's. */
export const CheckpointRequestSchema = v.strictObject({ runId: id, member: v.optional(v.pipe(int, v.minValue(0), v.maxValue(maxEnsembleMembers - 1))) });
export type CheckpointRequest = v.InferOutput<typeof CheckpointRequestSchema>;

/** A checkpoint as tfjs' `io.fromMemory` takes it: the topology, the weight specs and all weights in one buffer. */
export const CheckpointSchema = v.object({
  runId: id,
  /** Keras' model config as tfjs wrote it; checked by tfjs itself when it builds the model. */
  modelTopology: v.record(v.string(), v.unknown()),
  weightSpecs: v.array(v.object({ name: v.string(), shape: v.array(nonNegativeInt), dtype: v.picklist(['float32', 'int32', 'bool']) })),
  weightData: v.instance(Uint8Array),
});
export type Checkpoint = v.InferOutput<typeof CheckpointSchema>;

/** What the desktop app's menu asks of the window: each shows a view, and opens or does what it names. */
export const appCommands = ['open-dataset', 'open-design', 'save-design', 'import-model', 'export-model', 'show-backend'] as const;
export const AppCommandSchema = v.picklist(appCommands);
export type AppCommand = v.InferOutput<typeof AppCommandSchema>;

/** keras-h5: the file `keras.models.load_model` opens; tfjs-zip: tfjs' layers format (model.json and weights.bin) zipped. */
export const modelExportFormats = ['keras-h5', 'tfjs-zip'] as const;
export const ModelExportFormatSchema = v.picklist(modelExportFormats);
export type ModelExportFormat = v.InferOutput<typeof ModelExportFormatSchema>;

/** At most this many of the user's last sketches go with an export, to be read by the file too. */
export const maxExportSketches = 10;

export const ExportModelRequestSchema = v.strictObject({
  runId: id,
  format: ModelExportFormatSchema,
  /** The user's last sketches as the model reads them (n × 784 values 0–1): the exported file must read them as the run does. */
  sketches: v.optional(
    v.pipe(
      v.instance(Float32Array),
      v.check(
        (a) => a.length % pixelsPerImage === 0 && a.length <= maxExportSketches * pixelsPerImage,
        `at most ${maxExportSketches} sketches of ${pixelsPerImage} values`,
      ),
      v.check((a) => a.every((x) => x >= 0 && x <= 1), 'a sketch is values from 0 to 1'),
    ),
  ),
});
export type ExportModelRequest = v.InferOutput<typeof ExportModelRequestSchema>;

/** How the exported file, read back by MNIST Lab's own importer, predicts the test digits the run was evaluated on. */
export const ExportParitySchema = v.object({
  /** Test digits compared: those of the run's evaluation (all 10,000 unless it was limited). */
  count: nonNegativeInt,
  /** Digits the read-back model predicts differently from the run: 0, or the file is refused. */
  changed: nonNegativeInt,
  /** The largest difference of any one probability. */
  maxDifference: finite,
  /** The same for the user's last sketches sent with the export (count 0 when none were). */
  sketches: v.object({ count: nonNegativeInt, changed: nonNegativeInt, maxDifference: finite }),
});
export type ExportParity = v.InferOutput<typeof ExportParitySchema>;

export const ModelFileSchema = v.object({
  /** A suggested file name: the run's name and the format's extension. */
  fileName: v.string(),
  bytes: v.instance(Uint8Array),
  /** The check every export passes before it is offered. */
  parity: ExportParitySchema,
});
export type ModelFile = v.InferOutput<typeof ModelFileSchema>;

/** The most a model import may upload: far above any model the designer can build (about 12 MB of weights). */
export const maxModelUploadBytes = 64 * 1024 * 1024;

export const ImportModelRequestSchema = v.strictObject({
  /** The run's name; empty to name it after the file. */
  name: v.pipe(v.string(), v.trim(), v.maxLength(120)),
  /** One Keras .h5 or .keras file, a zip of a tfjs model, or a tfjs model.json with its weights files. */
  files: v.pipe(
    v.array(v.strictObject({ name: v.pipe(v.string(), v.minLength(1), v.maxLength(255)), bytes: v.instance(Uint8Array) })),
    v.minLength(1, 'choose a model file'),
    v.maxLength(64, 'choose at most 64 files: model.json and its weights files'),
    v.check(
      (files) => files.reduce((sum, f) => sum + f.bytes.length, 0) <= maxModelUploadBytes,
      `the files are larger than ${maxModelUploadBytes / 2 ** 20} MB together`,
    ),
  ),
});
export type ImportModelRequest = v.InferOutput<typeof ImportModelRequestSchema>;

export const TrainingStatusSchema = v.variant('state', [
  v.object({ state: v.literal('idle') }),
  v.object({ state: v.literal('running'), runId: id, stopping: v.boolean() }),
]);
export type TrainingStatus = v.InferOutput<typeof TrainingStatusSchema>;

// ---- Events ----

export const TrainStartedEventSchema = v.object({
  runId: id,
  /** The backend training uses and why each better one could not be used. */
  backend: BackendReportSchema,
  /** Threads training in parallel (wasm splits each batch over two cores where it can). */
  threads: v.pipe(int, v.minValue(1)),
  trainCount: nonNegativeInt,
  validationCount: nonNegativeInt,
  batchesPerEpoch: nonNegativeInt,
});

export type TrainStartedEvent = v.InferOutput<typeof TrainStartedEventSchema>;

export const TrainBatchEventSchema = v.object({
  runId: id,
  epoch: v.pipe(int, v.minValue(1)),
  batch: v.pipe(int, v.minValue(1)),
  batchesPerEpoch: nonNegativeInt,
  loss: finite,
  accuracy: finite,
  imagesPerSecond: finite,
});
export type TrainBatchEvent = v.InferOutput<typeof TrainBatchEventSchema>;

export const TrainEpochEventSchema = v.object({ runId: id, ...EpochMetricsSchema.entries });
export type TrainEpochEvent = v.InferOutput<typeof TrainEpochEventSchema>;

export const TrainDoneEventSchema = v.object({
  runId: id,
  testLoss: finite,
  testAccuracy: finite,
  bestEpoch: int,
  stoppedBy: StoppedBySchema,
  seconds: finite,
});
export type TrainDoneEvent = v.InferOutput<typeof TrainDoneEventSchema>;

export const TrainErrorEventSchema = v.object({ runId: id, message: v.string() });
export type TrainErrorEvent = v.InferOutput<typeof TrainErrorEventSchema>;

export const TrainPhaseEventSchema = v.object({
  runId: id,
  phase: v.picklist(['starting', 'loading-data', 'training', 'evaluating']),
});
