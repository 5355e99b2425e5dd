import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkpointWriter } from './checkpointWriter';

/**
 * Keras' ModelCheckpoint(save_best_only) and EarlyStopping(restore_best_weights) on val_loss:
 * keeps the best epoch's weights in memory and on disk, and says when patience has run out.
 */
export class BestCheckpoint {
  private bestValLoss = Infinity;
  private epochsSinceBest = 0;
  /** The epoch of the best weights; 0 before any. */
  bestEpoch = 0;
  private weights: tf.Tensor[] | null = null;

  constructor(
    private readonly model: tfl.LayersModel,
    private readonly modelDir: string,
    private readonly patience: number | null,
  ) {}

  /** Whether there is a checkpoint to fall back on. */
  get exists(): boolean {
    return this.weights !== null;
  }

  /**
   * Records an epoch's val_loss; saves the weights when it is the best so far, first bringing
   * the model up to date with `update` (a GPU trainer's weights). Returns whether it was.
   */
  async record(epoch: number, valLoss: number, update: () => Promise<void> = async () => undefined): Promise<boolean> {
    if (!(valLoss < this.bestValLoss)) {
      this.epochsSinceBest++;
      return false;
    }
    this.bestValLoss = valLoss;
    this.bestEpoch = epoch;
    this.epochsSinceBest = 0;
    await update();
    if (this.weights) tf.dispose(this.weights);
    this.weights = this.model.getWeights().map((w) => w.clone());
    await this.model.save(checkpointWriter(this.modelDir, String(epoch)));
    return true;
  }

  /** val_loss has not improved for `patience` epochs. */
  get patienceRanOut(): boolean {
    return this.patience !== null && this.epochsSinceBest >= this.patience;
  }

  /** Puts the best weights back into the model (for the final evaluation) and frees the copy. */
  restore(): void {
    if (!this.weights) return;
    this.model.setWeights(this.weights);
    tf.dispose(this.weights);
    this.weights = null;
  }
}
