import type { EventSink, LabApi } from '../../../shared/api';
import type { DatasetStore } from './datasetStore';

/** The API's dataset methods; imports and removals tell every window the list changed. */
export function datasetApi(datasets: DatasetStore, emit: EventSink): Pick<LabApi, 'listDatasets' | 'importDataset' | 'removeDataset' | 'getImagePage'> {
  return {
    listDatasets: () => datasets.list(),
    async importDataset(request) {
      const summary = await datasets.import(request);
      emit('datasets:changed', await datasets.list());
      return summary;
    },
    async removeDataset({ datasetId }) {
      await datasets.remove(datasetId);
      emit('datasets:changed', await datasets.list());
    },
    getImagePage: (request) => datasets.page(request),
  };
}
