import { datasetBrowser } from './datasetBrowser.svelte';
import { lab } from './lab';

/** The import form: a name and a folder on the machine running the lab. */
class DatasetImport {
  name = $state('');
  directory = $state('');
  busy = $state(false);
  error = $state<string | null>(null);
  message = $state<string | null>(null);

  async submit(): Promise<void> {
    this.busy = true;
    this.error = null;
    this.message = null;
    try {
      const summary = await lab.importDataset({ name: this.name, directory: this.directory });
      this.message = `Imported ${summary.name}: ${summary.train.count.toLocaleString('en-US')} training and ${summary.test.count.toLocaleString('en-US')} test images.`;
      this.name = '';
      this.directory = '';
      datasetBrowser.chooseDataset(summary.id);
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  async remove(datasetId: string): Promise<void> {
    try {
      await lab.removeDataset({ datasetId });
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}

export const datasetImport = new DatasetImport();
