import { findPreset } from '../../../shared/layers/presets';
import { classCount, pixelsPerImage } from '../../../shared/mnist';
import { loadIdxDataset } from '../../common/idx/loadIdxDataset';
import { normalizeImages, oneHot } from './batchAssembly';
import { createBatchTrainer } from '../trainers/createBatchTrainer';
import { buildModel } from './buildModel';
import type { HostMessage } from '../../common/workerMessages';
import type { BackendName } from '../../../shared/apiTypes';

type BenchRequest = Extract<HostMessage, { type: 'bench' }>;

/**
 * Training throughput of a preset: `warmupBatches` untimed steps (kernel setup, first
 * allocations), then `batches` timed steps on consecutive real training images, as the PyTorch
 * peer does (batch assembly included, validation excluded).
 */
export async function benchThroughput(request: BenchRequest, backend: BackendName) {
  const preset = findPreset(request.presetId);
  if (!preset) throw new Error(`no preset ${request.presetId}`);
  const data = await loadIdxDataset(request.files);
  const model = buildModel(preset.layers, preset.settings.optimizer, preset.settings.seed);
  const { batchSize } = request;
  const x = new Float32Array(batchSize * pixelsPerImage);
  const y = new Float32Array(batchSize * classCount);
  let loss = NaN;
  const trainer = await createBatchTrainer(model, {
    layers: preset.layers,
    optimizer: preset.settings.optimizer,
    seed: preset.settings.seed,
    backend,
    batchSize,
    threads: request.threads,
  });
  const resident = trainer.resident;
  // The engine keeps the images: consecutive batches of the training set, as below, in one order.
  resident?.setData(data.train.pixels, data.train.labels);
  resident?.startEpoch(Uint32Array.from({ length: data.train.count }, (_, i) => i));
  let jsMs = 0;
  const step = async (batch: number) => {
    if (resident) {
      const before = performance.now();
      resident.step();
      jsMs += performance.now() - before;
      return;
    }
    const start = (batch * batchSize) % (data.train.count - batchSize);
    const indices = Array.from({ length: batchSize }, (_, i) => start + i);
    normalizeImages(data.train.pixels, indices, x);
    oneHot(data.train.labels, indices, y);
    await trainer.step(x, y, batchSize);
  };
  for (let b = 0; b < request.warmupBatches; b++) await step(b);
  await trainer.takeMetrics();
  jsMs = 0;
  const started = performance.now();
  for (let b = 0; b < request.batches; b++) await step(request.warmupBatches + b);
  // Reading the metrics waits for a GPU to finish the queued steps, so they are inside the time.
  loss = (await trainer.takeMetrics()).loss;
  const seconds = (performance.now() - started) / 1000;
  await trainer.dispose();
  model.dispose();
  const images = request.batches * batchSize;
  const engine = resident
    ? { dispatchesPerStep: resident.dispatchesPerStep, jsMsPerStep: jsMs / request.batches, gflopsPerStep: resident.flopsPerStep / 1e9 }
    : null;
  return { imagesPerSecond: images / seconds, images, seconds, finalLoss: loss, threads: trainer.threads, engine };
}
