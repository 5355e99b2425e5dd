import type { Checkpoint } from '../../../shared/apiTypes';
import type { FeatureMaps } from './modelAnalysis';

/** From the page to the inspector's worker; each request carries an id its reply echoes. */
export type ToInspectorWorker =
  | { type: 'load'; id: number; checkpoint: Checkpoint }
  /** classIndex null: explain the class the model predicts. */
  | { type: 'explain'; id: number; pixels: Uint8Array; classIndex: number | null };

export type FromInspectorWorker =
  | { type: 'loaded'; id: number; kernels: { shape: [number, number, number]; values: Float32Array } | null }
  | { type: 'explained'; id: number; probabilities: Float32Array; saliency: Float32Array; featureMaps: FeatureMaps[] }
  | { type: 'error'; id: number; message: string };
