import type { GridLayout } from './thumbnailGridLayout';
import { imageInPage, type ImagePageCache } from './imagePages';
import { putGreyImage } from './drawDigit';

export interface ThumbnailDrawOptions {
  layout: GridLayout;
  scrollTop: number;
  side: number;
  pages: ImagePageCache;
  selectedPosition: number | null;
  /** Draw each image's label in its corner. */
  showLabels: boolean;
}

const gap = 4;

/**
 * Draws the visible thumbnails into one canvas the size of the viewport: images at 1:1 into an
 * ImageData, scaled up once with nearest-neighbour, then labels and the selection ring on top.
 * One canvas instead of thousands of elements keeps scrolling through 60,000 images smooth.
 * Returns the positions whose pages have not arrived yet.
 */
export function drawThumbnails(canvas: HTMLCanvasElement, options: ThumbnailDrawOptions): number[] {
  const { layout, scrollTop, side, pages, selectedPosition } = options;
  const context = canvas.getContext('2d');
  if (!context) return [];
  const dpr = window.devicePixelRatio || 1;
  const cssWidth = canvas.clientWidth;
  const cssHeight = canvas.clientHeight;
  if (canvas.width !== Math.round(cssWidth * dpr) || canvas.height !== Math.round(cssHeight * dpr)) {
    canvas.width = Math.round(cssWidth * dpr);
    canvas.height = Math.round(cssHeight * dpr);
  }
  context.setTransform(dpr, 0, 0, dpr, 0, 0);
  context.clearRect(0, 0, cssWidth, cssHeight);

  const scale = (layout.cellSize - gap) / side;
  const rowsDrawn = layout.lastRow - layout.firstRow + 1;
  if (rowsDrawn <= 0) return [];
  const unit = side + gap / scale;
  const sheet = new ImageData(Math.ceil(layout.columns * unit), Math.ceil(rowsDrawn * unit));
  const missing: number[] = [];
  for (let position = layout.firstPosition; position <= layout.lastPosition; position++) {
    const page = pages.pageAt(position);
    const image = page ? imageInPage(page, position, side * side) : null;
    if (!image) {
      missing.push(position);
      continue;
    }
    const column = position % layout.columns;
    const row = Math.floor(position / layout.columns) - layout.firstRow;
    putGreyImage(sheet, image.pixels, side, Math.round(column * unit), Math.round(row * unit));
  }
  const scratch = new OffscreenCanvas(sheet.width, sheet.height);
  scratch.getContext('2d')!.putImageData(sheet, 0, 0);
  const offsetY = layout.firstRow * layout.cellSize - scrollTop;
  context.imageSmoothingEnabled = false;
  context.drawImage(scratch, 0, offsetY, sheet.width * scale, sheet.height * scale);

  const cellImage = side * scale;
  context.fillStyle = '#2a2f3a';
  for (const position of missing) {
    const x = (position % layout.columns) * layout.cellSize;
    const y = Math.floor(position / layout.columns) * layout.cellSize - scrollTop;
    context.fillRect(x, y, cellImage, cellImage);
  }
  if (options.showLabels) {
    context.font = '600 11px system-ui, sans-serif';
    context.textBaseline = 'top';
    for (let position = layout.firstPosition; position <= layout.lastPosition; position++) {
      const page = pages.pageAt(position);
      const image = page ? imageInPage(page, position, side * side) : null;
      if (!image) continue;
      const x = (position % layout.columns) * layout.cellSize;
      const y = Math.floor(position / layout.columns) * layout.cellSize - scrollTop;
      context.fillStyle = 'rgba(20, 24, 32, 0.75)';
      context.fillRect(x + cellImage - 13, y + 1, 12, 14);
      context.fillStyle = '#9ecbff';
      context.fillText(String(image.label), x + cellImage - 10, y + 2);
    }
  }
  if (selectedPosition !== null && selectedPosition >= layout.firstPosition && selectedPosition <= layout.lastPosition) {
    const x = (selectedPosition % layout.columns) * layout.cellSize;
    const y = Math.floor(selectedPosition / layout.columns) * layout.cellSize - scrollTop;
    context.strokeStyle = '#ffb454';
    context.lineWidth = 2;
    context.strokeRect(x - 1, y - 1, cellImage + 2, cellImage + 2);
  }
  return missing;
}
