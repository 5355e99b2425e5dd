import type { LayerStack } from '../../../../shared/layers/layerSpec';
import type { OptimizerSettings } from '../../../../shared/training/trainingSettings';
import type { SharedBuffers } from './sharedBuffers';

/** What a helper thread starts with (workerData). */
export interface HelperInit {
  /** This helper's place among the threads (the training thread is 0). */
  index: number;
  layers: LayerStack;
  optimizer: OptimizerSettings;
  seed: number;
  buffers: SharedBuffers;
  /** Element count of each trainable weight, in order. */
  sizes: number[];
  /** The part of the flat parameters whose optimiser update this helper owns. */
  slice: [number, number];
}

export type ToHelper =
  /** Load these weights (all of them, trainable or not) so every replica is equal again. */
  | { type: 'weights'; values: Float32Array[] }
  /** Compute the gradients of `count` images from `offset` in the shared batch, scaled by `scale`, into slot `slot`. */
  | { type: 'gradients'; offset: number; count: number; scale: number; slot: 0 | 1 }
  /** Step the optimiser on this helper's slice with the sum of every thread's gradients in slot `slot`. */
  | { type: 'apply'; slot: 0 | 1 };

export type FromHelper =
  | { type: 'ready' }
  | { type: 'gradients'; loss: number; accuracy: number; milliseconds: number }
  /** Its slice of the shared weights is written. */
  | { type: 'applied' }
  | { type: 'error'; message: string };
