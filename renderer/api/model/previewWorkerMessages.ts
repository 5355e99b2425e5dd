import type { Checkpoint } from '../../../shared/apiTypes';
import type { LayerStack } from '../../../shared/layers/layerSpec';
import type { LayerOutput } from './layerPreviews';

/** From the designer to its preview worker; each request carries an id its reply echoes. */
export type ToPreviewWorker =
  /** Take these weights for the layers of a matching design (a run's best checkpoint), or none: fresh ones. */
  | { type: 'weights'; id: number; runId: string | null; checkpoint: Checkpoint | null }
  /** Every layer's output for a digit (784 values 0–1), with the run's weights where `runWeights` and loaded. */
  | { type: 'outputs'; id: number; layers: LayerStack; seed: number; input: Float32Array; runWeights: boolean }
  /** A Conv2D layer's k × k kernel for one filter and one input channel, and its bias, from the last outputs' layers. */
  | { type: 'kernel'; id: number; index: number; filter: number; channel: number };

export type FromPreviewWorker =
  /** The tfjs backend the previews run on ("webgpu", "wasm" or "cpu"). */
  | { type: 'ready'; id: 0; backend: string }
  | { type: 'weights'; id: number }
  | { type: 'outputs'; id: number; outputs: LayerOutput[]; recomputedFrom: number }
  | { type: 'kernel'; id: number; kernel: Float32Array | null; bias: number }
  | { type: 'error'; id: number; message: string };
