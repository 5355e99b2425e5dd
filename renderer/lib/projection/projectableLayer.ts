/** A layer whose output the projector can place the test digits by: its name, kind and output size. */
export interface ProjectableLayer {
  name: string;
  className: string;
  /** Values per image in its output (a convolution's: height × width × channels). */
  features: number;
}

/** The projector's PCA and UMAP take layers of at most this many values per digit (a convolution's 9,216 would take minutes). */
export const maxProjectedFeatures = 1024;

/** The layer the projector opens on: the last hidden one (not a dropout, which passes its input on) small enough to project. */
export function defaultProjectedLayer(layers: readonly ProjectableLayer[]): ProjectableLayer | null {
  return layers.findLast((l) => l.className !== 'Dropout' && l.features <= maxProjectedFeatures) ?? null;
}
