/** Geometry of the virtualized thumbnail grid: only rows in view (plus a margin) are drawn. */
export interface GridLayout {
  columns: number;
  rows: number;
  cellSize: number;
  /** Height of the whole (mostly undrawn) grid, for the scrollbar. */
  contentHeight: number;
  firstRow: number;
  lastRow: number;
  /** Positions in the filtered split covered by the drawn rows. */
  firstPosition: number;
  lastPosition: number;
}

export function computeGridLayout(width: number, viewportHeight: number, scrollTop: number, total: number, cellSize: number): GridLayout {
  const columns = Math.max(1, Math.floor(width / cellSize));
  const rows = Math.ceil(total / columns);
  const firstRow = Math.max(0, Math.floor(scrollTop / cellSize));
  const lastRow = Math.min(rows - 1, Math.floor((scrollTop + viewportHeight) / cellSize));
  return {
    columns,
    rows,
    cellSize,
    contentHeight: rows * cellSize,
    firstRow,
    lastRow,
    firstPosition: firstRow * columns,
    lastPosition: Math.min(total - 1, (lastRow + 1) * columns - 1),
  };
}

/** The image position under a point of the grid's content, or null between/after images. */
export function positionAt(layout: GridLayout, x: number, contentY: number, total: number): number | null {
  const column = Math.floor(x / layout.cellSize);
  const row = Math.floor(contentY / layout.cellSize);
  if (column < 0 || column >= layout.columns || row < 0) return null;
  const position = row * layout.columns + column;
  return position < total ? position : null;
}

/** The scrollTop that brings `position` fully into view, or null if it already is. */
export function scrollToReveal(layout: GridLayout, position: number, scrollTop: number, viewportHeight: number): number | null {
  const top = Math.floor(position / layout.columns) * layout.cellSize;
  if (top < scrollTop) return top;
  if (top + layout.cellSize > scrollTop + viewportHeight) return top + layout.cellSize - viewportHeight;
  return null;
}
