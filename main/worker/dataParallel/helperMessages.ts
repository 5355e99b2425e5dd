import type { LayerStack } from '../../../shared/layers/layerSpec';
import type { OptimizerSettings } from '../../../shared/training/trainingSettings';
import type { SharedBuffers } from './sharedBuffers';

/** What the helper thread starts with (workerData). */
export interface HelperInit {
  layers: LayerStack;
  optimizer: OptimizerSettings;
  seed: number;
  buffers: SharedBuffers;
  /** Element count of each trainable weight, in order. */
  sizes: number[];
}

export type ToHelper =
  /** Load these weights (all of them, trainable or not) so both replicas are equal again. */
  | { type: 'weights'; values: Float32Array[] }
  /** Compute the gradients of the first `count` images in the shared input, scaled by `scale`. */
  | { type: 'gradients'; count: number; scale: number }
  /** Step the optimiser with the main thread's gradients (slot `slot`) plus the helper's. */
  | { type: 'apply'; slot: 0 | 1 };

export type FromHelper =
  | { type: 'ready' }
  | { type: 'gradients'; loss: number; accuracy: number; milliseconds: number }
  | { type: 'error'; message: string };
