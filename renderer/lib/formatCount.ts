/** A count as the app shows it everywhere: 60,000 (the same in every locale, so tests and screenshots agree). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A fraction as a percentage: 0.9923 → "99.23 %". */
export function formatPercent(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}
