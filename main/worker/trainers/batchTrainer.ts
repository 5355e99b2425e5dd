import type { BackendName } from '../../../shared/apiTypes';
import type { LayerStack } from '../../../shared/layers/layerSpec';
import type { Augmentation, OptimizerSettings } from '../../../shared/training/trainingSettings';
import type { StepMetrics } from './metricsTally';

/** Trains a model one batch at a time; how (one thread or several, CPU or GPU) is its own business. */
export interface BatchTrainer {
  /** One optimiser step on the first `count` images of `x` ([n, 28, 28, 1]) and one-hot `y`. */
  step(x: Float32Array, y: Float32Array, count: number): Promise<void>;
  /**
   * The metrics of the steps since the last call. On a GPU this is the one read back from the
   * device, so callers take them once per reporting interval, not every step.
   */
  takeMetrics(): Promise<StepMetrics>;
  /** Brings helper replicas back to the model's exact weights (called before every epoch). */
  sync(): Promise<void>;
  dispose(): Promise<void>;
  readonly threads: number;
  /**
   * Present when the trainer keeps the training images itself (the WebGPU engine): it is given
   * them once, an order each epoch, and then steps with no batch from JavaScript.
   */
  readonly resident?: ResidentData;
  /** Brings the tfjs model up to the trainer's own weights, before a checkpoint is kept. */
  pull?(): Promise<void>;
  /** Several wasm threads: how many steps since the last call split their batch over the threads, of how many. */
  takeSplitCounts?(): { split: number; all: number };
}

export interface ResidentData {
  setData(pixels: Uint8Array, labels: Uint8Array): void;
  startEpoch(order: Uint32Array): void;
  /** Queues the next `count` batches of the epoch's order in one submission; settles when the GPU has done them. */
  steps(count: number): Promise<void>;
  /** The probabilities (10 a row) of the first `count` images of `pixels`, computed where the weights are. */
  evaluate(pixels: Uint8Array, count: number): Promise<Float32Array<ArrayBuffer>>;
  /** Gives the trainer the tfjs model's weights (the best checkpoint's, before the test evaluation). */
  push(): void;
  /** What the engine is: its dispatches a step and the FLOPs of one, for the bench. */
  readonly dispatchesPerStep: number;
  readonly flopsPerStep: number;
}

export interface BatchTrainerOptions {
  layers: LayerStack;
  optimizer: OptimizerSettings;
  seed: number;
  backend: BackendName;
  batchSize: number;
  /** Threads for wasm training; null: MNIST_LAB_WASM_THREADS, else every core. */
  threads: number | null;
  /** The helper threads' bundled entry; beside the worker's bundle unless told otherwise (tests). */
  helperEntry?: string;
  /** Random shifts and rotations of each training image; null or absent for none. */
  augmentation?: Augmentation | null;
}
