/** A point of a stroke on the 280 × 280 sketch, with the pen's pressure (0.5 for a mouse). */
export interface StrokePoint {
  x: number;
  y: number;
  pressure: number;
}
export type Stroke = StrokePoint[];

/** The sketch's side in canvas pixels: ten times MNIST's 28, so a finger or mouse has room. */
export const sketchSide = 280;
/** A stroke's width at normal pressure: about an eighth of a digit's height, as MNIST's pen strokes are. */
export const strokeWidth = 22;

/** Draws strokes in white on black with soft edges, the way MNIST's scanned ink looks once scaled. */
export function drawStrokes(context: CanvasRenderingContext2D, strokes: readonly Stroke[]): void {
  context.fillStyle = '#000';
  context.fillRect(0, 0, sketchSide, sketchSide);
  context.strokeStyle = '#fff';
  context.fillStyle = '#fff';
  context.lineCap = 'round';
  context.lineJoin = 'round';
  context.shadowColor = '#fff';
  context.shadowBlur = 4;
  for (const stroke of strokes) {
    if (stroke.length === 1) {
      const p = stroke[0]!;
      context.beginPath();
      context.arc(p.x, p.y, (strokeWidth * (0.5 + p.pressure)) / 2, 0, Math.PI * 2);
      context.fill();
      continue;
    }
    for (let i = 1; i < stroke.length; i++) {
      const a = stroke[i - 1]!;
      const b = stroke[i]!;
      context.lineWidth = strokeWidth * (0.5 + (a.pressure + b.pressure) / 2);
      context.beginPath();
      context.moveTo(a.x, a.y);
      context.lineTo(b.x, b.y);
      context.stroke();
    }
  }
  context.shadowBlur = 0;
}

/** The canvas's ink: its red channel, 0–1 (white strokes on black). */
export function inkOf(context: CanvasRenderingContext2D): Float32Array {
  const data = context.getImageData(0, 0, sketchSide, sketchSide).data;
  return Float32Array.from({ length: sketchSide * sketchSide }, (_, i) => data[i * 4]! / 255);
}
