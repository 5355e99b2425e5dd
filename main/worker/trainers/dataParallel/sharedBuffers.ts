/**
 * The memory the training thread and its helpers share: the batch, the model's trainable
 * weights (flat, one copy all threads read), and each thread's pre-scaled gradients in two
 * slots that alternate by step, so a thread can write step k + 1 while others still read step k.
 */
export interface SharedBuffers {
  input: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  weights: SharedArrayBuffer;
  /** grads[thread][slot], thread 0 being the training thread itself. */
  grads: [SharedArrayBuffer, SharedArrayBuffer][];
}

export function createSharedBuffers(maxImages: number, pixelsPerImage: number, classes: number, paramCount: number, threads: number): SharedBuffers {
  return {
    input: new SharedArrayBuffer(maxImages * pixelsPerImage * 4),
    labels: new SharedArrayBuffer(maxImages * classes * 4),
    weights: new SharedArrayBuffer(paramCount * 4),
    grads: Array.from({ length: threads }, () => [new SharedArrayBuffer(paramCount * 4), new SharedArrayBuffer(paramCount * 4)]),
  };
}

/** Views of a flat array, one per weight, cut to the given sizes. */
export function splitByWeight(flat: Float32Array, sizes: number[]): Float32Array[] {
  let offset = 0;
  return sizes.map((size) => {
    const part = flat.subarray(offset, offset + size);
    offset += size;
    return part;
  });
}

/**
 * Copies gradient tensors into a flat array, scaled by this thread's share of the batch, so the
 * batch's mean gradient is simply the sum of every thread's array.
 */
export function writeScaledGradients(grads: { dataSync(): ArrayLike<number> }[], flat: Float32Array, scale: number): void {
  let offset = 0;
  for (const grad of grads) {
    const values = grad.dataSync();
    for (let k = 0; k < values.length; k++) flat[offset + k] = values[k]! * scale;
    offset += values.length;
  }
}

/** The part [start, end) of the flat parameters whose optimiser update each of `threads` threads owns: equal parts. */
export function optimizerSlices(paramCount: number, threads: number): [number, number][] {
  return Array.from({ length: threads }, (_, t) => [Math.floor((paramCount * t) / threads), Math.floor((paramCount * (t + 1)) / threads)]);
}
