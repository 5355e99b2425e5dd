/** One vertical axis of a parallel-coordinates plot: its label, and each line's value on it (null: none yet). */
export interface ParallelAxis {
  label: string;
  values: (number | string | null)[];
}

/** Where each value sits on an axis, 0 (bottom) to 1 (top): numbers by a linear or, over a wide positive span, a log scale; words evenly. */
export function axisPositions(values: (number | string | null)[]): (number | null)[] {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  if (numbers.length === values.filter((v) => v !== null).length && numbers.length > 0) {
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    const log = min > 0 && max / min > 20;
    const f = (x: number) => (log ? Math.log(x) : x);
    return values.map((v) => (v === null ? null : max === min ? 0.5 : (f(v as number) - f(min)) / (f(max) - f(min))));
  }
  const words = [...new Set(values.filter((v) => v !== null).map(String))].sort();
  return values.map((v) => (v === null ? null : words.length === 1 ? 0.5 : words.indexOf(String(v)) / (words.length - 1)));
}
