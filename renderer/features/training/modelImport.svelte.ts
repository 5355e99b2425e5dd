import type { LabApi } from '../../../shared/api';
import { maxModelUploadBytes } from '../../../shared/apiTypes';
import { describeError, userMessage, type UserMessage } from '../../lib/i18n/userMessage';

/** What the file picker offers: Keras' .h5 and .keras, a tfjs zip, or tfjs' model.json with its .bin weights. */
export const modelFileTypes = '.h5,.hdf5,.keras,.zip,.json,.bin';

/** Importing another tool's model file as a run: the files go to the lab, which checks, converts and evaluates them. */
export class ModelImport {
  busy = $state(false);
  error = $state.raw<UserMessage | null>(null);
  message = $state.raw<UserMessage | null>(null);

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
      this.error = userMessage('import.tooLarge', { megabytes: (total / 2 ** 20).toFixed(0), limit: maxModelUploadBytes / 2 ** 20 });
      return;
    }
    this.busy = true;
    try {
      const uploads = await Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
      const run = await this.api.importModel({ name: '', files: uploads });
      // The notes say what was converted, in the importer's (English) words, after the sentence.
      const notes = (run.importedFrom?.notes ?? []).join(' ');
      this.message =
        run.testAccuracy === null
          ? userMessage('import.done', { name: run.name, notes })
          : userMessage('import.doneWithAccuracy', { name: run.name, accuracy: (run.testAccuracy * 100).toFixed(2), notes });
      this.onImported(run.id);
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
    }
  }
}
