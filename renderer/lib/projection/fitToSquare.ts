/**
 * 2-D points (count × 2) moved and scaled into the unit square, keeping their aspect ratio and
 * centred, so any projection's picture starts filling the view whatever its units.
 */
export function fitToSquare(points: Float32Array): Float32Array<ArrayBuffer> {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    minX = Math.min(minX, points[i]!);
    maxX = Math.max(maxX, points[i]!);
    minY = Math.min(minY, points[i + 1]!);
    maxY = Math.max(maxY, points[i + 1]!);
  }
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const padX = (span - (maxX - minX)) / 2;
  const padY = (span - (maxY - minY)) / 2;
  const out = new Float32Array(points.length);
  for (let i = 0; i < points.length; i += 2) {
    out[i] = (points[i]! - minX + padX) / span;
    out[i + 1] = (points[i + 1]! - minY + padY) / span;
  }
  return out;
}
