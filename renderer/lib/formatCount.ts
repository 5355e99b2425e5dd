/** A count as the app shows it everywhere: 60,000 (the same in every locale, so tests and screenshots agree). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
