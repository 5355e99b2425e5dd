import type { LayerInfo } from './inferShapes';
import { layerTypeNames } from './layerNames';
import { activationValuesPerImage } from './modelFootprint';

/** One row of a Keras-style `model.summary()`. */
export interface SummaryRow {
  /** As Keras names layers: `conv2d_1 (Conv2D)`. */
  name: string;
  /** As Keras prints it: `(None, 26, 26, 32)`. */
  outputShape: string;
  params: number;
}

export interface ModelSummary {
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** float32 weights, in bytes. */
  weightBytes: number;
  /** Every layer's output for one batch, in bytes: what the forward pass keeps for the backward one. */
  activationBytesPerBatch: number;
}

/**
 * The model as Keras' summary shows it, from the shapes shared/layers/inferShapes gives: the same
 * rows, shapes and counts (the input layer is not a row in Keras' Sequential summary), plus the
 * memory for weights and for one batch's activations.
 */
export function summarizeModel(layers: readonly LayerInfo[], batchSize: number): ModelSummary {
  const seen = new Map<string, number>();
  const rows = layers
    .filter((info) => info.layer.type !== 'input')
    .map((info) => {
      const kerasName = info.layer.type
        .replace(/([A-Z])/g, '_$1')
        .toLowerCase()
        .replace(/_(\d)d$/, '$1d');
      const count = seen.get(kerasName) ?? 0;
      seen.set(kerasName, count + 1);
      return {
        name: `${count === 0 ? kerasName : `${kerasName}_${count}`} (${layerTypeNames[info.layer.type]})`,
        outputShape: `(None, ${info.outputShape.join(', ')})`,
        params: info.params,
      };
    });
  const totalParams = layers.reduce((sum, l) => sum + l.params, 0);
  const trainableParams = layers.reduce((sum, l) => sum + l.trainableParams, 0);
  return {
    rows,
    totalParams,
    trainableParams,
    nonTrainableParams: totalParams - trainableParams,
    weightBytes: totalParams * 4,
    activationBytesPerBatch: activationValuesPerImage(layers.filter((l) => l.layer.type !== 'input')) * batchSize * 4,
  };
}

/** Bytes as the designer shows them: 1.6 MB, 512 KB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
