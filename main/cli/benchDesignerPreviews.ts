import type { Page } from 'playwright-core';
import { median } from '../../shared/metrics/median';

// In the page: types a new filter count into the first convolution's field and times how long until
// the layer stack says it shows the previews of that very design (the preview worker answered the
// newest request and the cards drew it), as a learner editing the seed CNN waits for them.
const editOnce = `(async (filters) => {
  const input = document.querySelector('[data-testid=field-filters]');
  const stack = document.querySelector('[data-testid=layer-stack]');
  const start = performance.now();
  input.value = String(filters);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const wanted = stack.dataset.previewsLatest;
  while (stack.dataset.previewsShown !== wanted) await new Promise((resolve) => requestAnimationFrame(resolve));
  return performance.now() - start;
})`;

/** Edit → every layer's preview updated, for the seed CNN (its first convolution's filters changed 20 times): p95 and median. */
export async function benchDesignerPreviews(page: Page, url: string): Promise<{ p95Ms: number; medianMs: number; edits: number }> {
  await page.goto(`${url.split('#')[0]}#designer`);
  const stack = page.getByTestId('layer-stack');
  await page.getByTestId('layer-preview').first().waitFor({ timeout: 60_000 });
  await page.getByTestId('layer-card').nth(1).click();
  // Two untimed edits: the worker compiles its kernels for new shapes the first time.
  for (const filters of [31, 32]) await page.evaluate(`${editOnce}(${filters})`);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) times.push((await page.evaluate(`${editOnce}(${i % 2 === 0 ? 16 : 32})`)) as number);
  await stack.waitFor();
  const sorted = [...times].sort((a, b) => a - b);
  return { p95Ms: sorted[Math.ceil(0.95 * sorted.length) - 1]!, medianMs: median(times), edits: times.length };
}
