import { maxExportSketches } from '../../shared/apiTypes';
import { pixelsPerImage } from '../../shared/mnist';

/**
 * The user's last few sketches as the model reads them (784 values 0–1 each), kept for the
 * export check: an exported file must read them as the run does. The sketchpad updates the one
 * being drawn as it grows and starts another when the canvas is cleared or a picture is opened.
 */
class RecentSketches {
  private readonly sketches: Float32Array[] = [];
  private drawing = false;

  /** The sketch being drawn, as it stands now (null: the canvas is empty, so the next ink starts another). */
  update(input: Float32Array | null): void {
    if (!input) {
      this.drawing = false;
      return;
    }
    if (this.drawing) this.sketches[this.sketches.length - 1] = input;
    else this.sketches.push(input);
    this.drawing = true;
    if (this.sketches.length > maxExportSketches) this.sketches.shift();
  }

  /** The current sketch is done: the next ink starts another. */
  finish(): void {
    this.drawing = false;
  }

  /** All of them, one after another, for the export request. */
  packed(): Float32Array<ArrayBuffer> {
    const all = new Float32Array(this.sketches.length * pixelsPerImage);
    this.sketches.forEach((sketch, i) => all.set(sketch.subarray(0, pixelsPerImage), i * pixelsPerImage));
    return all;
  }
}

export const recentSketches = new RecentSketches();
