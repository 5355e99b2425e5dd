/** From the page to the projection worker; each request carries an id its replies echo. */
export type ToProjectionWorker =
  /** count × features activations to the first two principal components. */
  | { type: 'pca'; id: number; values: Float32Array; count: number; features: number }
  /** The same to UMAP's 2-D embedding, seeded so the same seed gives the same picture. */
  | { type: 'umap'; id: number; values: Float32Array; count: number; features: number; seed: number };

export type FromProjectionWorker =
  /** How far UMAP is: finding each point's neighbours (epoch 0), then its optimisation epochs. */
  | { type: 'progress'; id: number; epoch: number; epochs: number }
  /** count × 2 coordinates, fitted into the unit square. */
  | { type: 'projected'; id: number; points: Float32Array }
  | { type: 'error'; id: number; message: string };
