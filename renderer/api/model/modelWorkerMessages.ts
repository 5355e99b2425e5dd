import type { Checkpoint } from '../../../shared/apiTypes';
import type { ProjectableLayer } from '../../lib/projection/projectableLayer';
import type { FeatureMaps } from './modelAnalysis';

/** From the page to a model worker; each request carries an id its reply echoes. */
export type ToModelWorker =
  /** One checkpoint, or an ensemble's members: their outputs are averaged. */
  | { type: 'load'; id: number; checkpoints: Checkpoint[] }
  /** A preprocessed 28 × 28 image, values 0–1 (the sketchpad). */
  | { type: 'predict'; id: number; input: Float32Array }
  /** classIndex null: explain the class the model predicts. */
  | { type: 'explain'; id: number; pixels: Uint8Array; classIndex: number | null }
  /** One hidden layer's outputs for n images (n × 784 bytes), for the projector. */
  | { type: 'activations'; id: number; layerName: string; pixels: Uint8Array };

export type FromModelWorker =
  /** layers: what the projector can show (none for an ensemble, whose members each have their own). */
  | { type: 'loaded'; id: number; kernels: { shape: [number, number, number]; values: Float32Array } | null; layers: ProjectableLayer[] }
  | { type: 'activations'; id: number; values: Float32Array }
  | { type: 'explained'; id: number; probabilities: Float32Array; saliency: Float32Array; featureMaps: FeatureMaps[] }
  | { type: 'predicted'; id: number; probabilities: Float32Array }
  | { type: 'error'; id: number; message: string };
