import type { Page } from 'playwright-core';

/** Waits until the sketchpad has a model to read with (it loads the newest run's checkpoint). */
async function waitForModel(page: Page): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await page.getByText('loading the model…').count()) === 0 && (await page.getByTestId('sketch-run').count()) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the sketchpad never loaded a model');
}

/** p95 of the time from the end of a stroke to the bars showing its reading, over `strokes` strokes. */
export async function benchSketchLatency(page: Page, url: string, strokes = 20): Promise<{ p95: number; median: number }> {
  await page.goto(`${url.split('#')[0]}#sketchpad`);
  await waitForModel(page);
  const box = (await page.getByTestId('sketch-canvas').boundingBox())!;
  for (let i = 0; i < strokes; i++) {
    await page.keyboard.press('Escape');
    await page.mouse.move(box.x + 100 + (i % 5) * 10, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 150, box.y + 240, { steps: 8 });
    await page.mouse.up();
    await page.waitForTimeout(150);
  }
  const times = (await page.evaluate<number[]>("performance.getEntriesByName('sketch:stroke-to-bars').map((m) => m.duration)")).sort((a, b) => a - b);
  if (times.length === 0) throw new Error('no stroke was read');
  return { p95: times[Math.floor(times.length * 0.95)] ?? times.at(-1)!, median: times[Math.floor(times.length / 2)]! };
}
