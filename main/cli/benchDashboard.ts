import type { Page } from 'playwright-core';
import { findPreset } from '../../shared/layers/presets';
import { RunStore } from '../core/runs/runStore';
import { frameWorkFromTrace, type FrameWork, type TraceEvent } from './frameWork';
import { builtInDatasetId } from '../../shared/mnist';

/** Waits until the loss chart holds more than `count` points (read from its attribute: the page's CSP forbids evaluated predicates). */
async function waitForPoints(page: Page, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    Number(
      await page
        .getByTestId('loss-chart')
        .getAttribute('data-points')
        .catch(() => '0'),
    ) <= count
  ) {
    if (Date.now() > deadline) throw new Error(`the loss chart did not reach ${count} points in ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Writes a finished run with 30 epochs of 300 batch points each into `dataDir`, as a long run leaves it. */
async function writeLongRun(dataDir: string): Promise<void> {
  const store = new RunStore(dataDir);
  const preset = findPreset('seed-mlp')!;
  const { id } = await store.create({
    name: 'Bench: 30 × 300 points',
    datasetId: builtInDatasetId,
    presetId: preset.id,
    layers: preset.layers,
    settings: { ...preset.settings, epochs: 30 },
    backend: 'auto',
  });
  for (let epoch = 1; epoch <= 30; epoch++) {
    for (let batch = 1; batch <= 300; batch++) {
      const loss = 2 / (epoch + batch / 300) + 0.05 * Math.sin(batch);
      await store.appendBatch(id, { epoch, batch, batchesPerEpoch: 300, loss, accuracy: 1 - loss / 3 });
    }
    const valLoss = 1.8 / (epoch + 1);
    await store.appendEpoch(id, {
      epoch,
      loss: 2 / epoch,
      accuracy: 0.9,
      valLoss,
      valAccuracy: 0.95,
      seconds: 5,
      imagesPerSecond: 12_000,
      isBest: true,
      checkpointed: true,
    });
  }
  await store.update(id, (s) => ({ ...s, status: 'completed', pid: null, stoppedBy: 'epochs', endedAt: new Date().toISOString() }));
}

/** The slowest full redraw of both charts of a run with 30 epochs × 300 batches (9,000 points a curve). */
export async function benchChartRedraw(page: Page, url: string, dataDir: string) {
  await writeLongRun(dataDir);
  await page.goto(`${url.split('#')[0]}#training`);
  await waitForPoints(page, 8999, 30_000);
  await page.evaluate('performance.clearMeasures()');
  // Each toggle redraws both charts from all their points; the pause lets every toggle draw
  // rather than be coalesced with the next (charts redraw at most ten times a second).
  for (const label of ['Log scale for loss', 'Training error (1 − accuracy) against validation loss']) {
    for (let i = 0; i < 6; i++) {
      await page.getByLabel(label).click();
      await page.waitForTimeout(150);
    }
  }
  return page.evaluate<{ slowest: number; redraws: number }>(
    "(() => { const m = performance.getEntriesByName('chart:update'); return { slowest: Math.max(...m.map((e) => e.duration)), redraws: m.length }; })()",
  );
}

// In the page, for `seconds`: every animation frame's interval, which on a headless VM is the
// browser's frame clock rather than the page's cost (see frameWork.ts).
const watchFrameClock = `(async (seconds) => {
  const intervals = [];
  let last = performance.now();
  const end = last + seconds * 1000;
  await new Promise((resolve) => {
    const frame = (now) => {
      intervals.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(frame); else resolve();
    };
    requestAnimationFrame(frame);
  });
  intervals.sort((a, b) => a - b);
  return intervals[Math.floor(intervals.length * 0.95)];
})`;

/** Traces the page for `seconds` while animation frames run, and returns what each frame cost the main thread. */
async function traceFrameWork(page: Page, seconds: number): Promise<FrameWork & { clockP95Ms: number }> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'toplevel'] });
  const clockP95Ms = await page.evaluate<number>(`${watchFrameClock}(${seconds})`);
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  return { ...frameWorkFromTrace(trace.traceEvents), clockP95Ms };
}

/** Frame costs on the dashboard while a real run streams batch events at the maximum rate for `seconds`, and idle for reference. */
export async function benchStreamingFrames(page: Page, url: string, seconds = 30) {
  await page.goto(`${url.split('#')[0]}#designer`);
  const idle = await traceFrameWork(page, 5);
  await page.getByTestId('preset-select').selectOption('seed-mlp');
  await page.getByTestId('tab-settings').click();
  await page.getByTestId('field-epochs').fill('100');
  await page.getByTestId('train-design').click();
  await waitForPoints(page, 20, 60_000);
  const streaming = await traceFrameWork(page, seconds);
  await page.getByTestId('stop-run').click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Stop the run' }).click();
  // The stopped run's evaluation takes both cores: the figures after this one must not share them.
  await page.getByTestId('run-result').getByText('Ended because you stopped it').waitFor({ timeout: 180_000 });
  return { streaming, idle };
}
