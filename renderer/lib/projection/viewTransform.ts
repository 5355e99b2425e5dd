/** How the projector's unit square sits on its canvas: a point (x, y) is drawn at (offsetX + x·scale, offsetY + y·scale). */
export interface ViewTransform {
  scale: number;
  offsetX: number;
  offsetY: number;
}

/** The whole unit square in a canvas of `width` × `height` px, with a margin. */
export function fittedView(width: number, height: number, margin = 12): ViewTransform {
  const scale = Math.max(1, Math.min(width, height) - 2 * margin);
  return { scale, offsetX: (width - scale) / 2, offsetY: (height - scale) / 2 };
}

/** Zoomed by `factor` about the canvas point (px, py), which stays where it is under the pointer. */
export function zoomedView(view: ViewTransform, factor: number, px: number, py: number): ViewTransform {
  const scale = Math.min(view.scale * 400, Math.max(view.scale / 400, view.scale * factor));
  const applied = scale / view.scale;
  return { scale, offsetX: px - (px - view.offsetX) * applied, offsetY: py - (py - view.offsetY) * applied };
}

export function pannedView(view: ViewTransform, dx: number, dy: number): ViewTransform {
  return { ...view, offsetX: view.offsetX + dx, offsetY: view.offsetY + dy };
}

/** Where point i of `points` (count × 2, in the unit square) is on the canvas. */
export function onCanvas(view: ViewTransform, points: Float32Array, i: number): [number, number] {
  return [view.offsetX + points[i * 2]! * view.scale, view.offsetY + points[i * 2 + 1]! * view.scale];
}
