import type { ModelJson } from '../../common/checkpointFiles';
import type { ModelExportFormat } from '../../../shared/apiTypes';
import { kerasH5FromCheckpoint } from '../fileFormats/keras/writeKerasH5';
import { tfjsLayersFiles } from '../fileFormats/tfjsLayers/writeTfjsLayers';
import { writeZip } from '../fileFormats/zip/writeZip';

/** A run's best checkpoint as a file for other tools: a Keras .h5, or tfjs' layers format zipped. */
export async function exportCheckpoint(
  modelJson: ModelJson,
  weightData: ArrayBuffer,
  format: ModelExportFormat,
): Promise<{ extension: string; bytes: Uint8Array<ArrayBuffer> }> {
  if (format === 'keras-h5') return { extension: 'h5', bytes: await kerasH5FromCheckpoint(modelJson, weightData) };
  return { extension: 'zip', bytes: writeZip(tfjsLayersFiles(modelJson, weightData)) };
}
