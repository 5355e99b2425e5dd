/** The mean loss and accuracy over the images of the steps since they were last taken. */
export interface StepMetrics {
  loss: number;
  accuracy: number;
  images: number;
}

/** Sums per-step metrics on the CPU side, where each step's loss is a number already. */
export class MetricsTally {
  private lossSum = 0;
  private correctSum = 0;
  private images = 0;

  add(loss: number, accuracy: number, images: number): void {
    this.lossSum += loss * images;
    this.correctSum += accuracy * images;
    this.images += images;
  }

  take(): StepMetrics {
    const { images } = this;
    const taken = { loss: images ? this.lossSum / images : NaN, accuracy: images ? this.correctSum / images : NaN, images };
    this.lossSum = this.correctSum = this.images = 0;
    return taken;
  }
}
