import type { LabApi } from '../../../shared/api';
import { maxModelUploadBytes } from '../../../shared/apiTypes';
import { errorMessage } from '../../../shared/errorMessage';

/** What the file picker offers: Keras' .h5 and .keras, a tfjs zip, or tfjs' model.json with its .bin weights. */
export const modelFileTypes = '.h5,.hdf5,.keras,.zip,.json,.bin';

/** Importing another tool's model file as a run: the files go to the lab, which checks, converts and evaluates them. */
export class ModelImport {
  busy = $state(false);
  error = $state<string | null>(null);
  message = $state<string | null>(null);

  constructor(
    private readonly api: LabApi,
    private readonly onImported: (runId: string) => void,
  ) {}

  async importFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    this.error = null;
    this.message = null;
    const total = files.reduce((sum, f) => sum + f.size, 0);
    if (total > maxModelUploadBytes) {
      this.error = `The files are ${(total / 2 ** 20).toFixed(0)} MB together; a model file of at most ${maxModelUploadBytes / 2 ** 20} MB can be imported.`;
      return;
    }
    this.busy = true;
    try {
      const uploads = await Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
      const run = await this.api.importModel({ name: '', files: uploads });
      const accuracy = run.testAccuracy === null ? '' : `: ${(run.testAccuracy * 100).toFixed(2)} % on the test set`;
      this.message = [`Imported ${run.name}${accuracy}.`, ...(run.importedFrom?.notes ?? [])].join(' ');
      this.onImported(run.id);
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }
}
