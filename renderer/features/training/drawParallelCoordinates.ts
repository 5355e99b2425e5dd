import { axisPositions, type ParallelAxis } from '../../lib/parallelAxes';

/**
 * Parallel coordinates: an axis per setting and one for the result, a line per run through its
 * values; lines shade from the muted colour to the accent by the last axis (the result), and
 * `marked` (the best run) is drawn last and thick.
 */
export function drawParallelCoordinates(canvas: HTMLCanvasElement, axes: ParallelAxis[], marked: number | null, width: number, height: number): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  if (!context || axes.length < 2) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  const style = getComputedStyle(canvas);
  const colour = (name: string) => style.getPropertyValue(name).trim() || '#888';
  const [top, bottom, side] = [22, 18, 56];
  const x = (i: number) => side + (i * (width - 2 * side)) / (axes.length - 1);
  const y = (p: number) => top + (1 - p) * (height - top - bottom);
  const positions = axes.map((axis) => axisPositions(axis.values));
  const lines = axes[0]!.values.length;
  const line = (run: number) => {
    context.beginPath();
    let started = false;
    positions.forEach((p, i) => {
      const at = p[run];
      if (at == null) return;
      if (started) context.lineTo(x(i), y(at));
      else context.moveTo(x(i), y(at));
      started = true;
    });
    context.stroke();
  };
  const result = positions.at(-1)!;
  for (let run = 0; run < lines; run++) {
    if (run === marked) continue;
    context.globalAlpha = 0.35 + 0.65 * (result[run] ?? 0);
    context.strokeStyle = colour(result[run] == null ? '--muted' : '--accent-2');
    context.lineWidth = 1.5;
    line(run);
  }
  context.globalAlpha = 1;
  if (marked !== null) {
    context.strokeStyle = colour('--accent');
    context.lineWidth = 3.5;
    line(marked);
  }
  context.fillStyle = colour('--text');
  context.strokeStyle = colour('--border');
  context.lineWidth = 1;
  context.font = '12px system-ui, sans-serif';
  context.textAlign = 'center';
  axes.forEach((axis, i) => {
    context.beginPath();
    context.moveTo(x(i), top);
    context.lineTo(x(i), height - bottom);
    context.stroke();
    context.fillText(axis.label, x(i), 14);
    const known = axis.values.filter((v) => v !== null);
    const numbers = known.filter((v): v is number => typeof v === 'number');
    if (numbers.length === known.length && numbers.length > 0) {
      const format = (v: number) => (Math.abs(v) < 0.01 || Math.abs(v) >= 1e4 ? v.toExponential(1) : String(+v.toPrecision(3)));
      context.fillText(format(Math.max(...numbers)), x(i), top - 2 + 12);
      context.fillText(format(Math.min(...numbers)), x(i), height - 4);
    }
  });
}
