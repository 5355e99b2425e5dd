import * as v from 'valibot';
import {
  AppCommandSchema,
  CheckpointRequestSchema,
  CheckpointSchema,
  CreateEnsembleRequestSchema,
  ExportModelRequestSchema,
  ImportModelRequestSchema,
  ModelFileSchema,
  DatasetRefSchema,
  DatasetSummarySchema,
  EpochPredictionsSchema,
  EvaluationSchema,
  ImagePageRequestSchema,
  ImagePageSchema,
  ImportDatasetRequestSchema,
  RenameRunRequestSchema,
  RunDetailSchema,
  RunRefSchema,
  RunSpecSchema,
  RunSummarySchema,
  SystemInfoSchema,
  TrainBatchEventSchema,
  TrainDoneEventSchema,
  TrainEpochEventSchema,
  TrainErrorEventSchema,
  TrainingStatusSchema,
  TrainPhaseEventSchema,
  TrainStartedEventSchema,
} from './apiTypes';
import { LessonProgressReplySchema, LessonProgressSchema } from './lesson/lessonProgress';
import { SweepSpecSchema } from './sweeps/sweepPlan';
import { MoveTrialRequestSchema, SweepListSchema, SweepRefSchema, SweepSummarySchema } from './sweeps/sweepSummary';

/**
 * The one API of MNIST Lab. `main/core` implements it once; Electron IPC, the WebSocket server
 * and the CLI carry it; the renderer reaches it only through `renderer/lib/lab.ts`.
 * Each method takes one validated parameter object (or none) and resolves to a validated result.
 */
export const labMethods = {
  // System
  /** App and runtime versions, data folder, and the compute backend with the reason each better one is unavailable. */
  getSystemInfo: { params: v.undefined(), result: SystemInfoSchema },

  // Datasets
  /** The embedded MNIST and every imported dataset, with per-split class counts. */
  listDatasets: { params: v.undefined(), result: v.array(DatasetSummarySchema) },
  /** Validates four IDX files in a folder and, only if all are sound, stores them as a new dataset. */
  importDataset: { params: ImportDatasetRequestSchema, result: DatasetSummarySchema },
  /** Deletes an imported dataset (the embedded MNIST cannot be removed). */
  removeDataset: { params: DatasetRefSchema, result: v.undefined() },
  /** A page of raw images from one split, optionally only those with one label. */
  getImagePage: { params: ImagePageRequestSchema, result: ImagePageSchema },

  // Training
  /** Validates the spec and starts a run in the training worker; refused while another run trains. */
  startTraining: { params: RunSpecSchema, result: RunRefSchema },
  /** Ends the current run after its current batch; the best checkpoint is kept and evaluated. */
  stopTraining: { params: v.undefined(), result: TrainingStatusSchema },
  /** Whether a run is training now. */
  getTrainingStatus: { params: v.undefined(), result: TrainingStatusSchema },

  // Runs
  /** Every stored run, newest first, with status and headline metrics. */
  listRuns: { params: v.undefined(), result: v.array(RunSummarySchema) },
  /** One run's spec and per-epoch metrics; damaged files are named, not fatal. */
  getRun: { params: RunRefSchema, result: RunDetailSchema },
  /** Gives a run a new display name. */
  renameRun: { params: RenameRunRequestSchema, result: RunSummarySchema },
  /** Deletes a run and its files; refused while it trains. */
  deleteRun: { params: RunRefSchema, result: v.undefined() },
  /** The best checkpoint's test-set evaluation: confusion matrix and per-image predictions. */
  getEvaluation: { params: RunRefSchema, result: EvaluationSchema },
  /** How the run read its test digits after each epoch it kept (runs validating on the test set), for the inspector's epoch slider. */
  getEpochPredictions: { params: RunRefSchema, result: EpochPredictionsSchema },
  /** The best checkpoint itself (tfjs layers format), for the renderer to load and look inside; an ensemble's, one member at a time. */
  getCheckpoint: { params: CheckpointRequestSchema, result: CheckpointSchema },
  /** The best checkpoint as a file for other tools (Keras .h5, or tfjs' layers format zipped), offered only once read back and found to predict as the run did. */
  exportModel: { params: ExportModelRequestSchema, result: ModelFileSchema },
  /** Makes a run whose predictions are the mean of finished runs' (same input, ten classes, same test digits), evaluated on the test set. */
  createEnsemble: { params: CreateEnsembleRequestSchema, result: RunSummarySchema },
  /** Makes a run from another tool's model file (Keras .h5 or .keras, tfjs): its layers, weights and test-set evaluation. */
  importModel: { params: ImportModelRequestSchema, result: RunSummarySchema },

  // Sweeps
  /** Checks a sweep (every reason it cannot start, before anything does), queues its runs on disk and starts training them one after another. */
  startSweep: { params: SweepSpecSchema, result: SweepSummarySchema },
  /** Every sweep with its queue; damaged queue files are set aside and named. */
  listSweeps: { params: v.undefined(), result: SweepListSchema },
  /** Starts no more of the sweep's runs (the one training finishes). */
  pauseSweep: { params: SweepRefSchema, result: SweepSummarySchema },
  /** Goes on with a paused sweep. */
  resumeSweep: { params: SweepRefSchema, result: SweepSummarySchema },
  /** Drops the sweep's runs not yet started; those trained keep their results. */
  cutSweep: { params: SweepRefSchema, result: SweepSummarySchema },
  /** Moves a waiting run of a sweep to another place in its queue. */
  moveSweepRun: { params: MoveTrialRequestSchema, result: SweepSummarySchema },

  // Lesson
  /** Where the learner is in the lesson; a damaged or foreign progress file is set aside and the reply says so. */
  getLessonProgress: { params: v.undefined(), result: LessonProgressReplySchema },
  /** Remembers where the learner is in the lesson. */
  saveLessonProgress: { params: LessonProgressSchema, result: v.undefined() },
} as const;

/** Events pushed from main to every connected renderer. */
export const labEvents = {
  /** A run's worker has loaded its backend and data and is about to train. */
  'train:started': TrainStartedEventSchema,
  /** What the run is doing now (starting the worker, loading data, training, evaluating). */
  'train:phase': TrainPhaseEventSchema,
  /** Progress within an epoch, coalesced to at most ~20 per second. */
  'train:batch': TrainBatchEventSchema,
  /** Every finished epoch, with validation metrics and whether it was checkpointed. */
  'train:epoch': TrainEpochEventSchema,
  /** The run ended and its best checkpoint was evaluated on the test set. */
  'train:done': TrainDoneEventSchema,
  /** The run failed (bad data, worker crash, out of memory); the app keeps running. */
  'train:error': TrainErrorEventSchema,
  /** The dataset list changed (import or removal). */
  'datasets:changed': v.array(DatasetSummarySchema),
  /** A run was created, renamed, finished or deleted. */
  'runs:changed': v.array(RunSummarySchema),
  /** A sweep was queued, paused, resumed, cut or reordered, or one of its runs started or ended. */
  'sweeps:changed': SweepListSchema,
  /** The desktop app's menu, to the focused window (never sent in browser mode). */
  'app:command': AppCommandSchema,
} as const;

export type LabMethods = typeof labMethods;
export type MethodName = keyof LabMethods;
export type MethodParams<M extends MethodName> = v.InferOutput<LabMethods[M]['params']>;
export type MethodResult<M extends MethodName> = v.InferOutput<LabMethods[M]['result']>;

export type LabEvents = { [E in keyof typeof labEvents]: v.InferOutput<(typeof labEvents)[E]> };
export type EventName = keyof LabEvents;

/** The API as functions: what core implements and what every client exposes. */
export type LabApi = {
  [M in MethodName]: MethodParams<M> extends undefined ? () => Promise<MethodResult<M>> : (params: MethodParams<M>) => Promise<MethodResult<M>>;
};

export const methodNames = Object.keys(labMethods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(labMethods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(labEvents, name);
}

/** Receives pushed events; implemented by each transport. */
export type EventSink = <E extends EventName>(name: E, payload: LabEvents[E]) => void;
