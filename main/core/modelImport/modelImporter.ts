import { rm } from 'node:fs/promises';
import * as v from 'valibot';
import { RunSpecSchema, type BackendChoice, type ImportModelRequest, type RunSpec, type RunSummary } from '../../../shared/apiTypes';
import { errorMessage } from '../../../shared/errorMessage';
import { seedSettings } from '../../../shared/layers/presets';
import { describeIssues } from '../../../shared/wire/validation';
import type { DatasetStore } from '../datasets/datasetStore';
import type { RunStore } from '../runs/runStore';
import type { WorkerHost } from '../workerHost';
import type { ImportedModel } from './modelFiles';
import { readModelFilesInThread } from './readModelFilesInThread';
import { builtInDatasetId } from '../../../shared/mnist';
import { uniqueRunName } from '../../../shared/runs/uniqueRunName';
import { apiFailure } from '../../../shared/apiErrorReasons';

/** The dataset an imported model is evaluated on: the MNIST test set it was (presumably) made for. */
const evaluationDatasetId = builtInDatasetId;

const withoutExtension = (fileName: string) => fileName.replace(/\.(h5|hdf5|keras|zip|json)$/i, '') || fileName;

/**
 * Turns another tool's model file into a run: read and convert it here, then build it, load its
 * weights and evaluate it on the test set in a worker, and only then store it. A file that is
 * damaged, of another kind, or holds layers MNIST Lab does not have is refused with the reason,
 * and leaves nothing behind. One import at a time: each holds its whole file in memory.
 */
export class ModelImporter {
  private busy = false;

  constructor(
    private readonly runs: RunStore,
    private readonly datasets: DatasetStore,
    private readonly host: WorkerHost,
    private readonly resolveBackend: (choice: BackendChoice) => BackendChoice,
    /** The built model-file thread (modelFileThread.cjs) that reads uploads. */
    private readonly readerEntry: string,
  ) {}

  async import(request: ImportModelRequest): Promise<RunSummary> {
    if (this.busy) throw apiFailure('conflict', 'import.busy');
    this.busy = true;
    try {
      return await this.importFiles(request);
    } finally {
      this.busy = false;
    }
  }

  private async importFiles(request: ImportModelRequest): Promise<RunSummary> {
    const main = request.files.find((f) => f.name.toLowerCase().endsWith('.json')) ?? request.files[0]!;
    let model: ImportedModel;
    try {
      model = await readModelFilesInThread(request.files, this.readerEntry);
    } catch (error) {
      throw apiFailure('bad-data', 'import.failed', { name: main.name, detail: errorMessage(error) });
    }
    const spec: RunSpec = {
      // Importing one file twice must not give two runs one name.
      name: uniqueRunName(
        request.name || withoutExtension(main.name).slice(0, 120),
        (await this.runs.list()).map((run) => run.name),
      ),
      datasetId: evaluationDatasetId,
      presetId: null,
      layers: model.plan.layers,
      settings: seedSettings,
      backend: 'auto',
    };
    const checked = v.safeParse(RunSpecSchema, spec);
    if (!checked.success) throw apiFailure('bad-data', 'import.failed', { name: main.name, detail: describeIssues(checked.issues) });
    const files = await this.datasets.files(evaluationDatasetId);
    const staging = await this.runs.stagingDir();
    try {
      const evaluation = await this.host.importModel({
        type: 'import',
        backend: this.resolveBackend('auto'),
        modelDir: staging,
        layers: spec.layers,
        weights: model.weights,
        files,
      });
      return await this.runs.createImported(spec, { fileName: main.name, format: model.format, notes: model.plan.notes }, staging, evaluation);
    } catch (error) {
      throw apiFailure('bad-data', 'import.unloadable', { name: main.name, detail: errorMessage(error) });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}
