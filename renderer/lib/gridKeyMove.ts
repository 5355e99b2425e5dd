/**
 * Where the selection goes for a key in the thumbnail grid: arrows by one image or row, Page
 * keys by a screenful, Home/End to the ends. Null for keys the grid does not handle.
 */
export function gridKeyMove(key: string, current: number | null, columns: number, rowsPerPage: number, total: number): number | null {
  if (total === 0) return null;
  const from = current ?? -1;
  let next: number;
  switch (key) {
    case 'ArrowRight':
      next = from + 1;
      break;
    case 'ArrowLeft':
      next = from - 1;
      break;
    case 'ArrowDown':
      next = current === null ? 0 : from + columns;
      break;
    case 'ArrowUp':
      next = from - columns;
      break;
    case 'PageDown':
      next = Math.max(0, from) + columns * rowsPerPage;
      break;
    case 'PageUp':
      next = from - columns * rowsPerPage;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = total - 1;
      break;
    default:
      return null;
  }
  return Math.max(0, Math.min(total - 1, next));
}
