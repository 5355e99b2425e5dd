/** The mean of several models' softmax outputs for the same images (each count × 10): how an ensemble reads them. */
export function meanProbabilities(outputs: readonly Float32Array[]): Float32Array<ArrayBuffer> {
  const length = outputs[0]?.length ?? 0;
  if (outputs.some((o) => o.length !== length)) throw new Error('the models read different numbers of images');
  const mean = new Float32Array(length);
  for (const output of outputs) for (let i = 0; i < length; i++) mean[i]! += output[i]!;
  for (let i = 0; i < length; i++) mean[i]! /= outputs.length;
  return mean;
}
