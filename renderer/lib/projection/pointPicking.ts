import { onCanvas, type ViewTransform } from './viewTransform';

/** The point drawn nearest the canvas position (x, y), if one is within `radius` px; null otherwise. */
export function nearestPoint(view: ViewTransform, points: Float32Array, x: number, y: number, radius: number): number | null {
  let best: number | null = null;
  let bestDistance = radius * radius;
  for (let i = 0; i < points.length / 2; i++) {
    const [px, py] = onCanvas(view, points, i);
    const d = (px - x) ** 2 + (py - y) ** 2;
    if (d <= bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}

/** Whether (x, y) is inside the polygon (even–odd rule), the lasso's test. */
function insidePolygon(polygon: readonly [number, number][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The points drawn inside a lasso drawn on the canvas, in index order. */
export function pointsInLasso(view: ViewTransform, points: Float32Array, lasso: readonly [number, number][]): number[] {
  if (lasso.length < 3) return [];
  const found: number[] = [];
  for (let i = 0; i < points.length / 2; i++) {
    const [px, py] = onCanvas(view, points, i);
    if (insidePolygon(lasso, px, py)) found.push(i);
  }
  return found;
}
