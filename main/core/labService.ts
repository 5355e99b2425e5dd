import { cpus } from 'node:os';
import { join } from 'node:path';
import type { EventSink, LabApi } from '../../shared/api';
import { BackendChoiceSchema, type BackendChoice, type SystemInfo } from '../../shared/apiTypes';
import * as v from 'valibot';
import { prepareDataDir } from './dataDir';
import { datasetApi } from './datasets/datasetApi';
import { DatasetStore } from './datasets/datasetStore';
import { LessonProgressStore } from './lesson/lessonProgressStore';
import { EnsembleBuilder } from './ensembles/ensembleBuilder';
import { ModelExporter } from './export/modelExporter';
import { ModelImporter } from './modelImport/modelImporter';
import { sweepApi } from './sweeps/sweepApi';
import { SweepRunner } from './sweeps/sweepRunner';
import { SweepStore } from './sweeps/sweepStore';
import { RunStore } from './runs/runStore';
import { TrainingController } from './trainingController';
import { WorkerHost, type WorkerLauncher } from './workerHost';
import { apiFailure } from '../../shared/apiErrorReasons';

export interface LabServiceOptions {
  dataDir: string;
  shell: 'electron' | 'browser' | 'cli';
  appVersion: string;
  electronVersion?: string | null;
  launchWorker: WorkerLauncher;
  /** Pushes events to every connected client. */
  emit: EventSink;
  /** The GPU to train on when there are several. */
  gpuIndex?: number | null;
  /** Folder of the embedded MNIST (tests point elsewhere). */
  builtInDatasetDirectory?: string;
  /** The built model-file thread; beside the bundle that runs this service unless told (tests run the sources). */
  modelFileThreadEntry?: string;
}

export interface LabService extends LabApi {
  /** Resolves when no run is training (for shutdown and tests). */
  whenIdle(): Promise<void>;
  /** Resolves when no sweep has a run left to start (the CLI's sweep, tests). */
  whenSweepsDone(): Promise<void>;
  /** Whether no run is training now. */
  isIdle(): boolean;
}

/** MNIST_LAB_BACKEND forces a backend wherever the user left the choice on auto. */
export function backendFromEnvironment(choice: BackendChoice): BackendChoice {
  const forced = v.safeParse(BackendChoiceSchema, process.env.MNIST_LAB_BACKEND);
  return choice === 'auto' && forced.success ? forced.output : choice;
}

/** What the system info says of this process and machine (all but the backend, which a worker probes). */
function systemInfo(options: LabServiceOptions): Omit<SystemInfo, 'backend'> {
  const cpu = cpus();
  return {
    appVersion: options.appVersion,
    shell: options.shell,
    platform: `${process.platform} ${process.arch}`,
    nodeVersion: process.versions.node,
    electronVersion: options.electronVersion ?? null,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpuCount: cpu.length,
    dataDir: options.dataDir,
  };
}

/** The one implementation of the API contract; the transports only carry it. */
export function createLabService(options: LabServiceOptions): LabService {
  prepareDataDir(options.dataDir);
  const datasets = options.builtInDatasetDirectory ? new DatasetStore(options.dataDir, options.builtInDatasetDirectory) : new DatasetStore(options.dataDir);
  const runs = new RunStore(options.dataDir);
  const lesson = new LessonProgressStore(options.dataDir);
  const host = new WorkerHost(options.launchWorker, { gpuIndex: options.gpuIndex ?? null });
  const training = new TrainingController(datasets, runs, host, options.emit, backendFromEnvironment);
  const modelFileThread = options.modelFileThreadEntry ?? join(__dirname, 'modelFileThread.cjs');
  const importer = new ModelImporter(runs, datasets, host, backendFromEnvironment, modelFileThread);
  const exporter = new ModelExporter(runs, datasets, host, backendFromEnvironment, modelFileThread);
  const ensembles = new EnsembleBuilder(runs);
  const sweeps = new SweepRunner(new SweepStore(options.dataDir), runs, training, (list) => options.emit('sweeps:changed', list));
  // The desktop app and browser mode go on with the sweeps a quit or a crash left; the CLI runs the sweep it is asked to.
  if (options.shell !== 'cli') sweeps.resume();
  /** Tells every window the run history changed, then answers with `result`. */
  const runsChanged = async <T>(result: T): Promise<T> => {
    options.emit('runs:changed', await runs.list());
    return result;
  };

  return {
    getSystemInfo: async () => ({ ...systemInfo(options), backend: await host.probe(backendFromEnvironment('auto')) }),

    ...datasetApi(datasets, options.emit),

    startTraining: (spec) => training.start(spec),
    stopTraining: async () => training.stop(),
    getTrainingStatus: async () => training.status(),

    listRuns: () => runs.list(),
    getRun: ({ runId }) => runs.detail(runId),
    renameRun: async ({ runId, name }) => runsChanged(await runs.rename(runId, name)),
    async deleteRun({ runId }) {
      if (training.isTraining(runId)) throw apiFailure('conflict', 'run.training');
      await runsChanged(await runs.delete(runId));
    },
    getEvaluation: ({ runId }) => runs.evaluation(runId),
    getEpochPredictions: ({ runId }) => runs.epochPredictions(runId),
    getCheckpoint: ({ runId, member }) => runs.checkpoint(runId, member),
    exportModel: ({ runId, format, sketches }) => exporter.export(runId, format, sketches),
    importModel: async (request) => runsChanged(await importer.import(request)),
    createEnsemble: async (request) => runsChanged(await ensembles.create(request)),

    ...sweepApi(sweeps),

    getLessonProgress: () => lesson.read(),
    async saveLessonProgress(progress) {
      await lesson.save(progress);
    },

    whenIdle: () => training.whenIdle(),
    whenSweepsDone: () => sweeps.whenDone(),
    isIdle: () => training.status().state === 'idle',
  };
}
