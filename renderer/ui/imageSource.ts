/** One image as a grid shows it. */
export interface GridImage {
  pixels: Uint8Array;
  /** Drawn in the cell's corner (the label, or a prediction). */
  label: number;
  /** Drawn along the cell's foot instead of the label, e.g. "4→9 97%". */
  caption?: string;
}

/**
 * What ImageGrid draws from: any list of images that arrive on demand (a dataset split, the
 * misclassified test digits, …). `imageAt` should read reactive state, so the grid redraws
 * when an image it asked for with `load` arrives.
 */
export interface ImageSource {
  /** Images in the list. */
  readonly total: number;
  /** Pixels per image side. */
  readonly side: number;
  /** The image at `position`, or null while it has not arrived. */
  imageAt(position: number): GridImage | null;
  /** Asks for the image at `position` (and its neighbours) to be fetched. */
  load(position: number): Promise<unknown>;
}
