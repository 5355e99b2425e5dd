import { findPreset } from '../../../shared/layers/presets';
import { classCount, pixelsPerImage } from '../../../shared/mnist';
import { nativeKernelFlavour, takeKernelsRun } from '../kernels/wasm/native/nativeKernels';
import { loadIdxDataset } from '../../common/idx/loadIdxDataset';
import { normalizeImages, oneHot } from './batchAssembly';
import { createBatchTrainer } from '../trainers/createBatchTrainer';
import { buildModel } from './buildModel';
import { SubmissionPacer } from './submissionPacer';
import type { HostMessage } from '../../common/workerMessages';
import type { BackendName } from '../../../shared/apiTypes';
import { median } from '../../../shared/metrics/median';
import type { ResidentData } from '../trainers/batchTrainer';
import { firstChoiceAfter } from '../trainers/dataParallel/splitChooser';

type BenchRequest = Extract<HostMessage, { type: 'bench' }>;

/**
 * Steps of a trainer that keeps the images (the GPU engine): consecutive full batches of the
 * training set, as the CPU path below takes them, paced into submissions as training does; and
 * the JavaScript milliseconds spent encoding and submitting them.
 */
function residentStepper(resident: ResidentData, train: { pixels: Uint8Array; labels: Uint8Array; count: number }, batchSize: number) {
  const fullBatches = Math.floor(train.count / batchSize);
  const inOrder = Uint32Array.from({ length: fullBatches * batchSize }, (_, i) => i);
  resident.setData(train.pixels, train.labels);
  const pacer = new SubmissionPacer();
  let left = 0;
  const stepper = {
    /** Each submission's steps and JavaScript milliseconds. */
    submissions: [] as { steps: number; ms: number }[],
    /** Mean milliseconds a step, and the median submission's (the figure where other threads share the CPU). */
    jsMsPerStep: () => stepper.submissions.reduce((sum, s) => sum + s.ms, 0) / stepper.submissions.reduce((sum, s) => sum + s.steps, 0),
    jsMsPerStepMedian: () => median(stepper.submissions.map((s) => s.ms / s.steps)),
    async run(count: number) {
      for (let done = 0; done < count;) {
        if (left === 0) {
          resident.startEpoch(inOrder);
          left = fullBatches;
        }
        const steps = pacer.size(Math.min(count - done, left));
        const before = performance.now();
        const finished = resident.steps(steps);
        stepper.submissions.push({ steps, ms: performance.now() - before });
        await pacer.submitted(steps, finished);
        done += steps;
        left -= steps;
      }
      await pacer.drain();
    },
  };
  return stepper;
}

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
  const stepper = resident ? residentStepper(resident, data.train, batchSize) : null;
  const step = async (batch: number) => {
    const start = (batch * batchSize) % (data.train.count - batchSize);
    const indices = Array.from({ length: batchSize }, (_, i) => start + i);
    normalizeImages(data.train.pixels, indices, x);
    oneHot(data.train.labels, indices, y);
    await trainer.step(x, y, batchSize);
  };
  const steps = async (from: number, count: number) => {
    if (stepper) return stepper.run(count);
    for (let b = 0; b < count; b++) await step(from + b);
  };
  // Several wasm threads first find out whether splitting the batch pays (splitChooser.ts): untimed.
  const warmup = trainer.takeSplitCounts && trainer.threads > 1 ? Math.max(request.warmupBatches, firstChoiceAfter) : request.warmupBatches;
  await steps(0, warmup);
  await trainer.takeMetrics();
  trainer.takeSplitCounts?.();
  stepper?.submissions.splice(0);
  const started = performance.now();
  await steps(warmup, request.batches);
  // Reading the metrics waits for a GPU to finish the queued steps, so they are inside the time.
  loss = (await trainer.takeMetrics()).loss;
  const seconds = (performance.now() - started) / 1000;
  const splitSteps = trainer.threads > 1 ? (trainer.takeSplitCounts?.() ?? null) : null;
  await trainer.dispose();
  model.dispose();
  const images = request.batches * batchSize;
  const engine = resident
    ? {
        dispatchesPerStep: resident.dispatchesPerStep,
        jsMsPerStep: stepper!.jsMsPerStep(),
        jsMsPerStepMedian: stepper!.jsMsPerStepMedian(),
        gflopsPerStep: resident.flopsPerStep / 1e9,
      }
    : null;
  const wasmKernels = backend === 'wasm' ? { simd: nativeKernelFlavour(), ran: takeKernelsRun() } : null;
  return { imagesPerSecond: images / seconds, images, seconds, finalLoss: loss, threads: trainer.threads, engine, wasmKernels, splitSteps };
}
