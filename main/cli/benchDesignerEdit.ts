import type { Page } from 'playwright-core';
import { designFileText, type Design } from '../../shared/designs/designFile';
import type { LayerSpec } from '../../shared/layers/layerSpec';
import { findPreset } from '../../shared/layers/presets';

/** A 30-layer design: 13 blocks of same-padded convolution and BatchNorm, then Flatten, Dense 64, Dense 10. */
function thirtyLayerDesign(): Design {
  const block: LayerSpec[] = [{ type: 'conv2d', filters: 16, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' }, { type: 'batchNormalization' }];
  const layers: LayerSpec[] = [
    { type: 'input', shape: [28, 28, 1] },
    ...Array.from({ length: 13 }, () => block).flat(),
    { type: 'flatten' },
    { type: 'dense', units: 64, activation: 'relu' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ];
  return {
    format: 'mnist-lab-design',
    version: 1,
    name: 'Bench, 30 layers',
    presetId: null,
    layers,
    settings: findPreset('seed-cnn')!.settings,
    backend: 'auto',
  };
}

// In the page: types a new unit count into the Dense layer's field and times how long until the
// parameter total on screen changes; "within one frame" means on screen before the next animation
// frame's callbacks ran and in less than a 60 Hz frame (16.7 ms).
const editOnce = `(async (units) => {
  const input = document.querySelector('[data-testid=field-units]');
  const totals = document.querySelector('[data-testid=designer-totals]');
  const before = totals.textContent;
  let changedAt = null;
  const observer = new MutationObserver(() => { if (changedAt === null && totals.textContent !== before) changedAt = performance.now(); });
  observer.observe(totals, { childList: true, characterData: true, subtree: true });
  const start = performance.now();
  input.value = String(units);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((resolve) => requestAnimationFrame(resolve));
  observer.disconnect();
  const ms = (changedAt ?? Infinity) - start;
  return { ms, beforeFrame: changedAt !== null && ms < 1000 / 60 };
})`;

/** Median time from an edit to updated shapes and counts on a 30-layer stack, and how many edits landed within one frame. */
export async function benchDesignerEdit(page: Page, url: string): Promise<{ medianMs: number; withinFrame: number; edits: number }> {
  await page.goto(url);
  await page.evaluate(`localStorage.setItem('mnist-lab.design', ${JSON.stringify(designFileText(thirtyLayerDesign()))})`);
  await page.goto(`${url.split('#')[0]}#designer`);
  await page.getByTestId('layer-card').nth(28).click();
  const results: { ms: number; beforeFrame: boolean }[] = [];
  for (let i = 0; i < 20; i++) results.push(await page.evaluate(`${editOnce}(${65 + i})`));
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, withinFrame: results.filter((r) => r.beforeFrame).length, edits: results.length };
}
