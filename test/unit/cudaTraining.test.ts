import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { listNvidiaGpus } from '../../main/worker/backends/cudaProbe';
import { labHarness, seedSpec } from './labHarness';

// Training on the GPU needs an NVIDIA GPU and @tensorflow/tfjs-node-gpu (whose install step
// downloads libtensorflow). Where either is missing, the test says which and skips.

function gpuPackageInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node-gpu');
    return true;
  } catch {
    return false;
  }
}

const gpus = listNvidiaGpus();
const skipReason =
  gpus.length === 0
    ? 'no NVIDIA GPU: nvidia-smi lists none'
    : !gpuPackageInstalled()
      ? '@tensorflow/tfjs-node-gpu is not installed (its install step could not download libtensorflow)'
      : null;

if (skipReason) console.log(`Skipping the CUDA training test: ${skipReason}`);

describe('training on CUDA', () => {
  it.skipIf(skipReason !== null)(`trains seed-mlp for an epoch on the GPU${skipReason ? ` (skipped: ${skipReason})` : ''}`, async () => {
    const lab = labHarness();
    const spec = { ...seedSpec('seed-mlp', { epochs: 1, testLimit: 2000 }), backend: 'cuda' as const };
    const { runId } = await lab.service.startTraining(spec);
    const done = await lab.finished(runId);
    expect(lab.eventsOf('train:started', runId)[0]!.backend.active).toBe('cuda');
    expect(done.testAccuracy).toBeGreaterThan(0.93);
  });
});
