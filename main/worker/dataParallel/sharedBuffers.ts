/**
 * The memory the training thread and its helper share: the helper's part of each batch, the
 * helper's gradients, and the main thread's gradients (two slots, alternating by step, so the
 * main thread can write step k + 1 while the helper still reads step k).
 */
export interface SharedBuffers {
  input: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  helperGrads: SharedArrayBuffer;
  mainGrads: [SharedArrayBuffer, SharedArrayBuffer];
}

export function createSharedBuffers(maxImages: number, pixelsPerImage: number, classes: number, paramCount: number): SharedBuffers {
  return {
    input: new SharedArrayBuffer(maxImages * pixelsPerImage * 4),
    labels: new SharedArrayBuffer(maxImages * classes * 4),
    helperGrads: new SharedArrayBuffer(paramCount * 4),
    mainGrads: [new SharedArrayBuffer(paramCount * 4), new SharedArrayBuffer(paramCount * 4)],
  };
}

/** Views of a flat shared array, one per weight, cut to the given sizes. */
export function gradientViews(source: SharedArrayBuffer, sizes: number[]): Float32Array[] {
  const view = new Float32Array(source);
  let offset = 0;
  return sizes.map((size) => {
    const part = view.subarray(offset, offset + size);
    offset += size;
    return part;
  });
}

/**
 * Copies gradient tensors into their views, scaled by this replica's share of the batch, so the
 * batch's mean gradient is simply the sum of both replicas' arrays.
 */
export function writeScaledGradients(grads: { dataSync(): ArrayLike<number> }[], views: Float32Array[], scale: number): void {
  grads.forEach((grad, i) => {
    const values = grad.dataSync();
    const view = views[i]!;
    for (let k = 0; k < view.length; k++) view[k] = values[k]! * scale;
  });
}
