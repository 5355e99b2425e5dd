import { pixelsPerImage } from '../../shared/mnist';

/** Where the designer's preview digit came from. */
export type PreviewDigitSource = 'test' | 'mistake' | 'sketch';

/** A digit the designer's layer previews run on. */
export interface PreviewDigit {
  source: PreviewDigitSource;
  /** Its index in the test split (test digits and mistakes); null for a sketch. */
  index: number | null;
  /** Its true label, where known. */
  label: number | null;
  /** 784 grey levels 0–255, as the dataset stores them. */
  pixels: Uint8Array;
}

/** The model's input for a digit: pixels / 255, the seed's normalisation. */
export function previewInput(digit: PreviewDigit): Float32Array {
  return Float32Array.from(digit.pixels.subarray(0, pixelsPerImage), (p) => p / 255);
}

/** A sketch's preprocessed input (784 values 0–1) as the grey levels a preview digit keeps. */
export function sketchPixels(input: Float32Array): Uint8Array {
  return Uint8Array.from(input, (v) => Math.round(Math.max(0, Math.min(1, v)) * 255));
}

/**
 * The digit for the designer's previews, shared by the views that send one there: the inspector
 * (a mistake) and the sketchpad (a drawing) set it and open the designer, which shows it.
 */
class PreviewDigitChoice {
  digit = $state.raw<PreviewDigit | null>(null);

  choose(digit: PreviewDigit): void {
    this.digit = digit;
  }
}

export const previewDigit = new PreviewDigitChoice();
