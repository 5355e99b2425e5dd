/** A pixel as the seed shows it after `/ 255`: 0, .47, 1; two decimals fit the 28-column table. */
export function formatNormalised(value: number): string {
  if (value === 0) return '0';
  if (value === 255) return '1';
  return (value / 255).toFixed(2).replace(/^0/, '');
}
