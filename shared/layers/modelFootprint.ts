import { designReason, wordDesignReason, type DesignReason } from './designProblems';
import type { LayerInfo } from './inferShapes';

/**
 * The largest model MNIST Lab trains: 50 million parameters take 800 MB with Adam's two moments
 * and the gradients, already more than a laptop GPU spares; the seed CNN has 1.2 million.
 */
export const maxTrainableParams = 50_000_000;
/**
 * The most activation values one batch may produce (4 GB of float32, before gradients): the seed
 * CNN at batch 200 makes 17 million.
 */
export const maxActivationValuesPerBatch = 1_000_000_000;

const format = (n: number) => n.toLocaleString('en-US');

/** Values every layer outputs for one image: what training keeps for the backward pass. */
export function activationValuesPerImage(layers: readonly LayerInfo[]): number {
  return layers.reduce((sum, layer) => sum + layer.outputShape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Why a valid stack is too large to train at this batch size, or null. Checked before a worker
 * starts, so a billion-parameter model is refused in words, not by an out-of-memory crash.
 */
export function modelTooLarge(layers: readonly LayerInfo[], totalParams: number, batchSize: number): string | null {
  const reason = modelTooLargeReason(layers, totalParams, batchSize);
  return reason && wordDesignReason(reason);
}

/** modelTooLarge's answer as a key and parameters, for the designer to word in the user's language. */
export function modelTooLargeReason(layers: readonly LayerInfo[], totalParams: number, batchSize: number): DesignReason | null {
  if (totalParams > maxTrainableParams) return designReason('tooManyParams', { params: format(totalParams), max: format(maxTrainableParams) });
  const activations = activationValuesPerImage(layers) * batchSize;
  if (activations > maxActivationValuesPerBatch) {
    return designReason('tooManyActivations', { batch: format(batchSize), activations: format(activations), max: format(maxActivationValuesPerBatch) });
  }
  return null;
}
