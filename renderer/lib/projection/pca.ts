/**
 * The first two principal components of `count` rows of `features` values, as each row's two
 * coordinates (count × 2). Block power iteration on the centred data (XᵀX v computed as Xᵀ(X v)),
 * so memory stays count × features and a layer of a few hundred features takes well under a
 * second for 10,000 rows; the start vectors are fixed, so the same data always gives the same picture.
 */
export function principalComponents(values: Float32Array, count: number, features: number, iterations = 40): Float32Array<ArrayBuffer> {
  if (values.length !== count * features) throw new Error(`expected ${count} × ${features} values, got ${values.length}`);
  const mean = new Float64Array(features);
  for (let i = 0; i < count; i++) for (let j = 0; j < features; j++) mean[j]! += values[i * features + j]!;
  for (let j = 0; j < features; j++) mean[j]! /= Math.max(1, count);

  // Two start directions that no real layer's principal axes are orthogonal to in practice.
  let basis: Float64Array[] = [0, 1].map((k) => Float64Array.from({ length: features }, (_, j) => Math.sin((j + 1) * (k + 1) * 1.618) + (j % (k + 2)) * 0.1));
  const projected = new Float64Array(count);
  for (let step = 0; step < iterations; step++) basis = orthonormal(basis.map((v) => covarianceTimes(values, mean, count, features, v, projected)));

  const out = new Float32Array(count * 2);
  for (const [k, v] of basis.entries()) {
    for (let i = 0; i < count; i++) {
      let dot = 0;
      for (let j = 0; j < features; j++) dot += (values[i * features + j]! - mean[j]!) * v[j]!;
      out[i * 2 + k] = dot;
    }
  }
  return out;
}

/** (X − mean)ᵀ (X − mean) v, without forming the covariance matrix. */
function covarianceTimes(values: Float32Array, mean: Float64Array, count: number, features: number, v: Float64Array, scratch: Float64Array): Float64Array {
  for (let i = 0; i < count; i++) {
    let dot = 0;
    for (let j = 0; j < features; j++) dot += (values[i * features + j]! - mean[j]!) * v[j]!;
    scratch[i] = dot;
  }
  const result = new Float64Array(features);
  for (let i = 0; i < count; i++) {
    const s = scratch[i]!;
    if (s === 0) continue;
    for (let j = 0; j < features; j++) result[j]! += (values[i * features + j]! - mean[j]!) * s;
  }
  return result;
}

/** Gram–Schmidt: the first vector normalised, the second made orthogonal to it and normalised (a zero vector stays zero). */
function orthonormal(vectors: Float64Array[]): Float64Array[] {
  const done: Float64Array[] = [];
  for (const v of vectors) {
    const u = Float64Array.from(v);
    for (const d of done) {
      let dot = 0;
      for (let j = 0; j < u.length; j++) dot += u[j]! * d[j]!;
      for (let j = 0; j < u.length; j++) u[j]! -= dot * d[j]!;
    }
    const norm = Math.hypot(...u);
    if (norm > 0) for (let j = 0; j < u.length; j++) u[j]! /= norm;
    done.push(u);
  }
  return done;
}
