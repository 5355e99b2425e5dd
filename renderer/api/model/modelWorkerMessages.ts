import type { Checkpoint } from '../../../shared/apiTypes';
import type { FeatureMaps } from './modelAnalysis';

/** From the page to a model worker; each request carries an id its reply echoes. */
export type ToModelWorker =
  /** One checkpoint, or an ensemble's members: their outputs are averaged. */
  | { type: 'load'; id: number; checkpoints: Checkpoint[] }
  /** A preprocessed 28 × 28 image, values 0–1 (the sketchpad). */
  | { type: 'predict'; id: number; input: Float32Array }
  /** classIndex null: explain the class the model predicts. */
  | { type: 'explain'; id: number; pixels: Uint8Array; classIndex: number | null };

export type FromModelWorker =
  | { type: 'loaded'; id: number; kernels: { shape: [number, number, number]; values: Float32Array } | null }
  | { type: 'explained'; id: number; probabilities: Float32Array; saliency: Float32Array; featureMaps: FeatureMaps[] }
  | { type: 'predicted'; id: number; probabilities: Float32Array }
  | { type: 'error'; id: number; message: string };
