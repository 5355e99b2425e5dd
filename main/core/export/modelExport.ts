import type { ModelJson } from '../../common/checkpointFiles';
import type { ModelExportFormat } from '../../../shared/apiTypes';
import { kerasH5FromCheckpoint } from './kerasH5';
import { zipArchive } from './zipArchive';

/** A checkpoint in tfjs' layers format as two files: model.json naming one weights file, and that file. */
export function tfjsLayersFiles(modelJson: ModelJson, weightData: ArrayBuffer): { name: string; bytes: Uint8Array }[] {
  const weights = modelJson.weightsManifest.flatMap((group) => group.weights);
  const json = { ...modelJson, weightsManifest: [{ paths: ['weights.bin'], weights }] };
  return [
    { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) },
    { name: 'weights.bin', bytes: new Uint8Array(weightData) },
  ];
}

/** A run's best checkpoint as a file for other tools: a Keras .h5, or tfjs' layers format zipped. */
export function exportCheckpoint(modelJson: ModelJson, weightData: ArrayBuffer, format: ModelExportFormat): { extension: string; bytes: Uint8Array<ArrayBuffer> } {
  if (format === 'keras-h5') return { extension: 'h5', bytes: kerasH5FromCheckpoint(modelJson, weightData) };
  return { extension: 'zip', bytes: zipArchive(tfjsLayersFiles(modelJson, weightData)) };
}
