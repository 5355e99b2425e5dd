import type { ModelJson } from '../../../common/checkpointFiles';

/** A checkpoint in tfjs' layers format as two files: model.json naming one weights file, and that file. */
export function tfjsLayersFiles(modelJson: ModelJson, weightData: ArrayBuffer): { name: string; bytes: Uint8Array }[] {
  const weights = modelJson.weightsManifest.flatMap((group) => group.weights);
  const json = { ...modelJson, weightsManifest: [{ paths: ['weights.bin'], weights }] };
  return [
    { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) },
    { name: 'weights.bin', bytes: new Uint8Array(weightData) },
  ];
}
