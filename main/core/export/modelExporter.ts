import { apiFailure } from '../../../shared/apiErrorReasons';
import type { BackendChoice, ExportParity, ModelExportFormat, ModelFile } from '../../../shared/apiTypes';
import { errorMessage } from '../../../shared/errorMessage';
import { comparePredictions } from '../../../shared/metrics/comparePredictions';
import { safeFileName } from '../../../shared/safeFileName';
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
    if (summary.ensembleOf) throw apiFailure('invalid-request', 'export.ensemble', { count: summary.ensembleOf.length });
    const { modelJson, weightData } = await this.runs.checkpointFiles(runId);
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
      const model = await readModelFilesInThread([{ name: file.fileName, bytes: file.bytes }], this.readerEntry);
      const backend = this.resolveBackend('auto');
      const { probabilities } = await this.host.readBack({
        type: 'readBack',
        backend,
        layers: model.plan.layers,
        weights: model.weights,
        files: await this.datasets.files(summary.datasetId),
        count: evaluation.count,
        sketches,
      });
      const test = evaluation.probabilities.length;
      // The run's own reading of the sketches, by its checkpoint, as the sketchpad read them.
      const original =
        sketches.length > 0
          ? (await this.host.predict({ type: 'predict', backend, modelDirs: [this.runs.modelDir(runId)], inputs: sketches })).probabilities
          : new Float32Array();
      return {
        ...comparePredictions(evaluation.probabilities, probabilities.subarray(0, test)),
        sketches: comparePredictions(original, probabilities.subarray(test)),
      };
    } catch (error) {
      throw apiFailure('bad-data', 'export.checkFailed', { detail: errorMessage(error) });
    }
  }
}
