import { apiFailure } from '../../../shared/apiErrorReasons';
import type { BackendChoice, ExportParity, ModelExportFormat, ModelFile } from '../../../shared/apiTypes';
import { errorMessage } from '../../../shared/errorMessage';
import { comparePredictions } from '../../../shared/metrics/comparePredictions';
import { safeFileName } from '../../../shared/safeFileName';
import { classCount } from '../../../shared/mnist';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DatasetFiles } from '../../common/idx/loadIdxDataset';
import { readZip } from '../fileFormats/zip/readZip';
import { ensembleCheckpoint } from './ensembleModel';
import type { DatasetStore } from '../datasets/datasetStore';
import { readModelFilesInThread } from '../modelImport/readModelFilesInThread';
import type { RunStore } from '../runs/runStore';
import type { WorkerHost } from '../workerHost';
import { exportCheckpoint } from './modelExport';

/** An exported file before its check. */
export type UncheckedModelFile = Omit<ModelFile, 'parity'>;

/**
 * Writes a run's best checkpoint as a file for other tools, and offers it only once MNIST Lab's
 * own importer has read it back and the model it gives predicts every test digit of the run's
 * evaluation (and the user's last sketches, when the request brings them) as the run did. One export at a time: each check holds the file and starts a worker.
 */
export class ModelExporter {
  private busy = false;

  constructor(
    private readonly runs: RunStore,
    private readonly datasets: DatasetStore,
    private readonly host: WorkerHost,
    private readonly resolveBackend: (choice: BackendChoice) => BackendChoice,
    /** The built model-file thread (modelFileThread.cjs) that reads model files. */
    private readonly readerEntry: string,
  ) {}

  /** `sketches`: the user's last sketches (n × 784 values 0–1), which the file must read as the run does too. */
  async export(runId: string, format: ModelExportFormat, sketches: Float32Array<ArrayBuffer> = new Float32Array()): Promise<ModelFile> {
    if (this.busy) throw apiFailure('conflict', 'export.busy');
    this.busy = true;
    try {
      return await this.checked(runId, await this.write(runId, format), sketches);
    } finally {
      this.busy = false;
    }
  }

  /** The file's bytes, named after the run, not yet checked. */
  async write(runId: string, format: ModelExportFormat): Promise<UncheckedModelFile> {
    const summary = await this.runs.summary(runId);
    const members = summary.ensembleOf;
    // Our importer reads single-chain models only, so a Keras file of the ensemble's graph could not be checked.
    if (members && format === 'keras-h5') throw apiFailure('invalid-request', 'export.ensembleKeras', { count: members.length });
    const { modelJson, weightData } = members
      ? ensembleCheckpoint(await Promise.all(members.map((_, member) => this.runs.checkpointFiles(runId, member))))
      : await this.runs.checkpointFiles(runId);
    try {
      const { extension, bytes } = await exportCheckpoint(modelJson, weightData, format);
      return { fileName: `${safeFileName(summary.name, runId)}.${extension}`, bytes };
    } catch (error) {
      throw apiFailure('bad-data', 'run.exportFailed', { id: runId, detail: errorMessage(error) });
    }
  }

  /** The file with its check; refused with the reason when it predicts otherwise or cannot be checked. */
  async checked(runId: string, file: UncheckedModelFile, sketches: Float32Array<ArrayBuffer> = new Float32Array()): Promise<ModelFile> {
    const parity = await this.compare(runId, file, sketches);
    const failed =
      parity.changed > 0
        ? { key: 'export.parityFailed' as const, ...parity }
        : parity.sketches.changed > 0
          ? { key: 'export.sketchParityFailed' as const, ...parity.sketches }
          : null;
    if (failed) throw apiFailure('bad-data', failed.key, { changed: failed.changed, count: failed.count, difference: failed.maxDifference.toExponential(1) });
    return { ...file, parity };
  }

  private async compare(runId: string, file: UncheckedModelFile, sketches: Float32Array<ArrayBuffer>): Promise<ExportParity> {
    try {
      const [summary, evaluation] = await Promise.all([this.runs.summary(runId), this.runs.evaluation(runId)]);
      const backend = this.resolveBackend('auto');
      const job: ReadBackJob = { file, backend, files: await this.datasets.files(summary.datasetId), count: evaluation.count, sketches };
      const read = summary.ensembleOf ? await this.readBackGraph(job) : await this.readBackChain(job);
      // The run's own reading of the sketches, by its checkpoint (an ensemble's members averaged), as the sketchpad read them.
      const original = await this.readSketches(backend, this.runs.modelDirs(summary), sketches);
      return { ...comparePredictions(evaluation.probabilities, read.test), sketches: comparePredictions(original, read.sketches) };
    } catch (error) {
      throw apiFailure('bad-data', 'export.checkFailed', { detail: errorMessage(error) });
    }
  }

  /** A single-chain model's file read back by MNIST Lab's own importer, and its reading of the test digits and sketches. */
  private async readBackChain({ file, backend, files, count, sketches }: ReadBackJob): Promise<Readings> {
    const model = await readModelFilesInThread([{ name: file.fileName, bytes: file.bytes }], this.readerEntry);
    const { layers } = model.plan;
    const { probabilities } = await this.host.readBack({ type: 'readBack', backend, layers, weights: model.weights, files, count, sketches });
    const test = count * classCount;
    return { test: probabilities.subarray(0, test), sketches: probabilities.subarray(test) };
  }

  /**
   * An ensemble's zipped graph (which our importer, reading single chains, cannot take) unpacked as it was written and
   * loaded by tfjs itself, as a user's tf.loadLayersModel would: its reading of the test digits and sketches.
   */
  private async readBackGraph({ file, backend, files, count, sketches }: ReadBackJob): Promise<Readings> {
    const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-export-'));
    try {
      // Our own file, just written: no limit but what it holds.
      for (const entry of readZip(file.bytes, Number.MAX_SAFE_INTEGER)) await writeFile(join(dir, basename(entry.name)), entry.bytes);
      const evaluated = await this.host.evaluate({ type: 'evaluate', backend, modelDir: dir, files, testLimit: count });
      return { test: evaluated.probabilities, sketches: await this.readSketches(backend, [dir], sketches) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The checkpoints in `modelDirs` (averaged) reading the sketches, in a fresh worker; none to read, no worker. */
  private async readSketches(backend: BackendChoice, modelDirs: string[], sketches: Float32Array<ArrayBuffer>): Promise<Float32Array> {
    if (sketches.length === 0) return new Float32Array();
    return (await this.host.predict({ type: 'predict', backend, modelDirs, inputs: sketches })).probabilities;
  }
}

/** What reading an exported file back needs: the file, the backend, the test digits (the first `count`) and the sketches. */
interface ReadBackJob {
  file: UncheckedModelFile;
  backend: BackendChoice;
  files: DatasetFiles;
  count: number;
  sketches: Float32Array<ArrayBuffer>;
}

/** How a read-back file reads the test digits and the sketches (n × 10 probabilities each). */
interface Readings {
  test: Float32Array;
  sketches: Float32Array;
}
