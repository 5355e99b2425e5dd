import type { LayerStack } from '../../../shared/layers/layerSpec';
import { loadIdxDataset, type DatasetFiles } from '../../common/idx/loadIdxDataset';
import { modelWithImportedWeights, type WeightToImport } from '../checkpoints/importedCheckpoint';
import { predictAll } from './predictAll';

/** The probabilities a model read back from a file gives the first `count` test images (count × 10). */
export async function predictReadBack(layers: LayerStack, weights: WeightToImport[], files: DatasetFiles, count: number): Promise<Float32Array<ArrayBuffer>> {
  const data = await loadIdxDataset(files);
  const model = modelWithImportedWeights(layers, weights);
  try {
    return await predictAll(model, data.test.pixels, Math.min(count, data.test.count));
  } finally {
    model.dispose();
  }
}
