import type { ViewTransform } from '../../lib/projection/viewTransform';

/** One colour per digit 0–9 (Tableau 10), told apart on the light and the dark theme. */
export const digitColours = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export interface ProjectionScene {
  view: ViewTransform;
  points: Float32Array;
  /** Point indices by true digit: read right, and read wrong (drawn larger, outlined, on top). */
  byDigit: { right: number[][]; wrong: number[][] };
  marked: number | null;
  hovered: number | null;
  lasso: [number, number][] | null;
  width: number;
  height: number;
}

/**
 * Draws every point as a small square in its digit's colour, a colour at a time (10,000 points
 * take a few milliseconds, so panning and zooming redraw at the display's rate), the mistakes
 * over them, then the explained digit's ring, the hovered point and the lasso being drawn.
 */
export function drawProjection(canvas: HTMLCanvasElement, scene: ProjectionScene): void {
  const start = performance.now();
  const ratio = window.devicePixelRatio || 1;
  const { width, height, view, points } = scene;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext('2d');
  if (!context) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const style = getComputedStyle(canvas);
  const ink = style.getPropertyValue('--text').trim() || '#000';
  const x = (i: number) => view.offsetX + points[i * 2]! * view.scale;
  const y = (i: number) => view.offsetY + points[i * 2 + 1]! * view.scale;
  const squares = (indices: number[], size: number, outline: boolean) => {
    for (const i of indices) context.fillRect(x(i) - size / 2, y(i) - size / 2, size, size);
    if (outline) for (const i of indices) context.strokeRect(x(i) - size / 2, y(i) - size / 2, size, size);
  };
  scene.byDigit.right.forEach((indices, digit) => {
    context.fillStyle = digitColours[digit]!;
    squares(indices, 3, false);
  });
  context.strokeStyle = ink;
  context.lineWidth = 1;
  scene.byDigit.wrong.forEach((indices, digit) => {
    context.fillStyle = digitColours[digit]!;
    squares(indices, 5, true);
  });
  for (const [i, radius] of [
    [scene.marked, 7],
    [scene.hovered, 5],
  ] as const) {
    if (i === null) continue;
    context.beginPath();
    context.arc(x(i), y(i), radius, 0, 2 * Math.PI);
    context.lineWidth = 2;
    context.stroke();
  }
  if (scene.lasso && scene.lasso.length > 1) {
    context.beginPath();
    context.moveTo(...scene.lasso[0]!);
    for (const point of scene.lasso.slice(1)) context.lineTo(...point);
    context.closePath();
    context.lineWidth = 1;
    context.setLineDash([4, 3]);
    context.stroke();
    context.setLineDash([]);
  }
  // Each frame's drawing time, for measuring the projector (README's figure).
  performance.measure('projector:draw', { start });
}
