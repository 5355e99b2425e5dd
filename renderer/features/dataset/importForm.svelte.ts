import type { LabApi } from '../../../shared/api';
import { formatCount } from '../../lib/formatCount';
import { describeError, userMessage, type UserMessage } from '../../lib/i18n/userMessage';

/** The import form: a name and a folder on the machine running the lab; and removal of an imported dataset. */
export class DatasetImportForm {
  name = $state('');
  directory = $state('');
  busy = $state(false);
  error = $state.raw<UserMessage | null>(null);
  message = $state.raw<UserMessage | null>(null);

  constructor(
    private readonly api: LabApi,
    private readonly onImported: (datasetId: string) => void,
  ) {}

  async submit(): Promise<void> {
    this.busy = true;
    this.error = null;
    this.message = null;
    try {
      const summary = await this.api.importDataset({ name: this.name, directory: this.directory });
      this.message = userMessage('dataset.imported', { name: summary.name, train: formatCount(summary.train.count), test: formatCount(summary.test.count) });
      this.name = '';
      this.directory = '';
      this.onImported(summary.id);
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
    }
  }

  async remove(datasetId: string): Promise<void> {
    try {
      await this.api.removeDataset({ datasetId });
    } catch (error) {
      this.error = describeError(error);
    }
  }
}
