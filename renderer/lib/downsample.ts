import type { Point } from './trainingCurves';

/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): at most `threshold` of `points` (sorted by
 * x) that keep the curve's shape: the first and last, and from each bucket between them the point
 * making the largest triangle with its neighbours' picks. A chart a few hundred pixels wide shows
 * no more; Chart.js then lays out and draws hundreds of points, not the 9,000 of a long run.
 */
export function downsampleLttb(points: Point[], threshold: number): Point[] {
  if (threshold < 3 || points.length <= threshold) return points;
  const picked: Point[] = [points[0]!];
  const bucketSize = (points.length - 2) / (threshold - 2);
  let previous = points[0]!;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    // The next bucket's mean stands in for the point it will pick.
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, points.length);
    let meanX = 0;
    let meanY = 0;
    for (let i = end; i < nextEnd; i++) {
      meanX += points[i]!.x;
      meanY += points[i]!.y;
    }
    const count = Math.max(1, nextEnd - end);
    meanX /= count;
    meanY /= count;
    let best = points[start]!;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const p = points[i]!;
      const area = Math.abs((previous.x - meanX) * (p.y - previous.y) - (previous.x - p.x) * (meanY - previous.y));
      if (area > bestArea) {
        bestArea = area;
        best = p;
      }
    }
    picked.push(best);
    previous = best;
  }
  picked.push(points.at(-1)!);
  return picked;
}
