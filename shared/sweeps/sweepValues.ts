/** A value as a person types it: a number when it reads as one, else the word (optimiser names). */
export const parseSweepValue = (text: string): number | string => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text.trim());

/** "0.001, 0.003" → [0.001, 0.003]; empty entries dropped. */
export function parseSweepValues(text: string): (number | string)[] {
  return text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map(parseSweepValue);
}
