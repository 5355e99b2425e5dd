import type { GridLayout } from '../lib/gridLayout';
import { putGreyImage } from './drawDigit';
import type { ImageSource } from './imageSource';

/** Colours from the theme (CSS custom properties), read by the component. */
export interface GridColors {
  placeholder: string;
  labelBackground: string;
  label: string;
  selection: string;
}

export interface GridDrawOptions {
  layout: GridLayout;
  scrollTop: number;
  source: ImageSource;
  selectedPosition: number | null;
  /** Draw each image's label in its corner. */
  showLabels: boolean;
  colors: GridColors;
}

const gap = 4;

/** Sizes the canvas's backing store to its CSS size at the screen's pixel ratio; returns the context, cleared. */
function prepareCanvas(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  const context = canvas.getContext('2d');
  if (!context) return null;
  const dpr = window.devicePixelRatio || 1;
  const width = Math.round(canvas.clientWidth * dpr);
  const height = Math.round(canvas.clientHeight * dpr);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  context.setTransform(dpr, 0, 0, dpr, 0, 0);
  context.clearRect(0, 0, canvas.clientWidth, canvas.clientHeight);
  return context;
}

/** The top-left corner of a position's cell, in canvas coordinates. */
const cellOrigin = (layout: GridLayout, position: number, scrollTop: number) => ({
  x: (position % layout.columns) * layout.cellSize,
  y: Math.floor(position / layout.columns) * layout.cellSize - scrollTop,
});

/** All visible images at 1:1 into one ImageData, scaled up once with nearest-neighbour; returns the positions not yet arrived. */
function drawImages(context: CanvasRenderingContext2D, { layout, scrollTop, source }: GridDrawOptions, scale: number): number[] {
  const unit = source.side + gap / scale;
  const sheet = new ImageData(Math.ceil(layout.columns * unit), Math.ceil((layout.lastRow - layout.firstRow + 1) * unit));
  const missing: number[] = [];
  for (let position = layout.firstPosition; position <= layout.lastPosition; position++) {
    const image = source.imageAt(position);
    if (!image) {
      missing.push(position);
      continue;
    }
    const column = position % layout.columns;
    const row = Math.floor(position / layout.columns) - layout.firstRow;
    putGreyImage(sheet, image.pixels, source.side, Math.round(column * unit), Math.round(row * unit));
  }
  const scratch = new OffscreenCanvas(sheet.width, sheet.height);
  scratch.getContext('2d')!.putImageData(sheet, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(scratch, 0, layout.firstRow * layout.cellSize - scrollTop, sheet.width * scale, sheet.height * scale);
  return missing;
}

function drawLabels(context: CanvasRenderingContext2D, { layout, scrollTop, source, colors }: GridDrawOptions, cellImage: number): void {
  context.font = '600 11px system-ui, sans-serif';
  context.textBaseline = 'top';
  for (let position = layout.firstPosition; position <= layout.lastPosition; position++) {
    const image = source.imageAt(position);
    if (!image) continue;
    const { x, y } = cellOrigin(layout, position, scrollTop);
    context.fillStyle = colors.labelBackground;
    if (image.caption) {
      context.fillRect(x, y + cellImage - 13, cellImage, 13);
      context.fillStyle = colors.label;
      context.fillText(image.caption, x + 2, y + cellImage - 12, cellImage - 4);
      continue;
    }
    context.fillRect(x + cellImage - 13, y + 1, 12, 14);
    context.fillStyle = colors.label;
    context.fillText(String(image.label), x + cellImage - 10, y + 2);
  }
}

/**
 * Draws the visible images into one canvas the size of the viewport, then placeholders, labels
 * and the selection ring on top. One canvas instead of thousands of elements keeps scrolling
 * through 60,000 images smooth. Returns the positions whose images have not arrived yet.
 */
export function drawImageGrid(canvas: HTMLCanvasElement, options: GridDrawOptions): number[] {
  const { layout, scrollTop, source, selectedPosition, colors } = options;
  const context = prepareCanvas(canvas);
  if (!context || layout.lastRow < layout.firstRow) return [];
  const scale = (layout.cellSize - gap) / source.side;
  const cellImage = source.side * scale;
  const missing = drawImages(context, options, scale);
  context.fillStyle = colors.placeholder;
  for (const position of missing) {
    const { x, y } = cellOrigin(layout, position, scrollTop);
    context.fillRect(x, y, cellImage, cellImage);
  }
  if (options.showLabels) drawLabels(context, options, cellImage);
  if (selectedPosition !== null && selectedPosition >= layout.firstPosition && selectedPosition <= layout.lastPosition) {
    const { x, y } = cellOrigin(layout, selectedPosition, scrollTop);
    context.strokeStyle = colors.selection;
    context.lineWidth = 2;
    context.strokeRect(x - 1, y - 1, cellImage + 2, cellImage + 2);
  }
  return missing;
}
