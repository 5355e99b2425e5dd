import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendName } from '../../shared/apiTypes';
import { builtInMnistDirectory } from '../core/datasets/datasetStore';
import { findDatasetFiles, loadIdxDataset } from '../common/idx/loadIdxDataset';
import { parseCommandArgs, UsageError, type OptionTable } from './cliArgs';
import { benchTraining } from './benchTraining';
import { benchChartRedraw, benchStreamingFrames } from './benchDashboard';
import { benchDesignerEdit } from './benchDesignerEdit';
import { benchDesignerPreviews } from './benchDesignerPreviews';
import { benchInspectorOpen } from './benchInspector';
import { benchSketchLatency } from './benchSketchpad';
import { startServeProcess } from './serveProcess';
import { median } from '../../shared/metrics/median';

// `npm run bench`: the speed and memory figures the issues set targets for, printed, never
// asserted: loading the dataset, the views in Chromium, and training (benchTraining.ts).

export const benchOptions: OptionTable = {
  backend: { type: 'string', multiple: true, value: 'B', help: 'measure only this backend (cuda, cpu, wasm, js); may be repeated' },
  'skip-browser': { type: 'boolean', help: 'skip the figures measured in Chromium (views, charts, frames)' },
  'skip-training': { type: 'boolean', help: 'skip the training throughput figures and the PyTorch peer' },
  'gpu-batches': { type: 'string', value: 'N', help: 'timed batches on a GPU backend (a real GPU wants hundreds; the default suits the software adapter)' },
  help: { type: 'boolean', help: 'print this help' },
};

const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(46)} ${value}\n`);

async function benchDatasetLoad(): Promise<void> {
  const files = await findDatasetFiles(builtInMnistDirectory());
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const data = await loadIdxDataset(files);
    times.push(performance.now() - start);
    if (data.train.count + data.test.count !== 70_000) throw new Error('expected 70,000 images');
  }
  line('load + parse all 70,000 images (median of 5)', `${median(times).toFixed(0)} ms   (target < 300 ms)`);
}

function chromiumPath(): string | null {
  for (const path of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (path && existsSync(path)) return path;
  }
  return null;
}

/** In Chromium, against browser mode: the first screen of thumbnails, and the designer's live update. */
async function benchInChromium(): Promise<void> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    line('first page of thumbnails drawn in Chromium', 'skipped: no Chromium found (set CHROMIUM_PATH)');
    return;
  }
  const { chromium } = await import('playwright-core');
  const dataDir = await mkdtemp(join(tmpdir(), 'mnist-lab-bench-'));
  const server = await startServeProcess(dataDir);
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(server.url);
      await page.waitForFunction(() => performance.getEntriesByName('thumbnails:first-draw').length > 0, undefined, { timeout: 30_000 });
      times.push(await page.evaluate(() => performance.getEntriesByName('thumbnails:first-draw')[0]!.startTime));
      await page.close();
    }
    line('first page of thumbnails drawn (median of 3)', `${median(times).toFixed(0)} ms after navigation   (target < 1000 ms)`);
    const page = () => browser.newPage({ viewport: { width: 1400, height: 900 } });
    const edit = await benchDesignerEdit(await page(), server.url);
    line('designer: edit → shapes and counts, 30 layers', `${edit.medianMs.toFixed(1)} ms median; ${edit.withinFrame} of ${edit.edits} edits within one frame`);
    const previews = await benchDesignerPreviews(await page(), server.url);
    line(
      'designer: edit → every layer preview, seed CNN',
      `p95 ${previews.p95Ms.toFixed(1)} ms, median ${previews.medianMs.toFixed(1)} ms over ${previews.edits} edits   (target p95 ≤ 50 ms)`,
    );
    const inspector = await benchInspectorOpen(await page(), server.url, dataDir);
    line(
      'inspector: 10,000 evaluated digits, on screen',
      `matrix ${inspector.matrixMs.toFixed(0)} ms, first tiles ${inspector.tilesMs.toFixed(0)} ms after navigation   (target < 1000 ms each)`,
    );
    const redraw = await benchChartRedraw(await page(), server.url, dataDir);
    line('dashboard: redraw 30 epochs × 300 batches', `${redraw.slowest.toFixed(1)} ms, slowest of ${redraw.redraws} chart redraws   (target < 16 ms)`);
    const frames = await benchStreamingFrames(await page(), server.url);
    const { streaming, idle } = frames;
    line(
      'dashboard: main-thread work a frame, streaming 30 s',
      `p95 ${streaming.p95Ms.toFixed(1)} ms, median ${streaming.medianMs.toFixed(1)} ms over ${streaming.frames} frames; ${streaming.longTasks} tasks over 50 ms (longest ${streaming.longestTaskMs.toFixed(0)} ms)   (target p95 < 16.7 ms, none over 50 ms)`,
    );
    line(
      'dashboard: the same with nothing streaming, 5 s',
      `p95 ${idle.p95Ms.toFixed(1)} ms; frame clock p95 ${idle.clockP95Ms.toFixed(1)} ms idle, ${streaming.clockP95Ms.toFixed(1)} ms streaming (headless pacing, not the page's cost)`,
    );
    const sketch = await benchSketchLatency(await page(), server.url);
    line(
      'sketchpad: stroke end → updated bars',
      `p95 ${sketch.p95.toFixed(1)} ms, median ${sketch.median.toFixed(1)} ms over 20 strokes   (target p95 < 30 ms)`,
    );
  } finally {
    await browser.close();
    server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchCommand(args: string[]): Promise<number> {
  const options = parseCommandArgs(args, benchOptions);
  process.stdout.write(`MNIST Lab bench, ${new Date().toISOString()}\n`);
  await benchDatasetLoad();
  if (!options['skip-browser']) await benchInChromium();
  const gpuBatches = options['gpu-batches'] === undefined ? null : Number(options['gpu-batches']);
  if (gpuBatches !== null && !(Number.isInteger(gpuBatches) && gpuBatches >= 1 && gpuBatches <= 100_000))
    throw new UsageError('--gpu-batches: a whole number from 1 to 100000');
  if (!options['skip-training']) await benchTraining((options.backend as BackendName[] | undefined) ?? null, gpuBatches);
  return 0;
}
