import type { LabApi } from '../../../shared/api';
import { errorMessage } from '../../../shared/errorMessage';
import { formatCount } from '../../lib/formatCount';

/** The import form: a name and a folder on the machine running the lab; and removal of an imported dataset. */
export class DatasetImportForm {
  name = $state('');
  directory = $state('');
  busy = $state(false);
  error = $state<string | null>(null);
  message = $state<string | null>(null);

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
      this.message = `Imported ${summary.name}: ${formatCount(summary.train.count)} training and ${formatCount(summary.test.count)} test images.`;
      this.name = '';
      this.directory = '';
      this.onImported(summary.id);
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  async remove(datasetId: string): Promise<void> {
    try {
      await this.api.removeDataset({ datasetId });
    } catch (error) {
      this.error = errorMessage(error);
    }
  }
}
