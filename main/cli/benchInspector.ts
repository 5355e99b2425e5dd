import type { Page } from 'playwright-core';
import { builtInDatasetId, classCount } from '../../shared/mnist';
import { findPreset } from '../../shared/layers/presets';
import { scorePredictions } from '../../shared/metrics/classificationMetrics';
import { findDatasetFiles, loadIdxDataset } from '../common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../core/datasets/datasetStore';
import { RunStore } from '../core/runs/runStore';

/** A finished run evaluated on all 10,000 test digits (about 2 % of them wrong), as a real run leaves its eval.json. */
async function writeEvaluatedRun(dataDir: string): Promise<string> {
  const labels = (await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()))).test.labels;
  const probabilities = new Float32Array(labels.length * classCount).fill(0.01);
  for (let i = 0; i < labels.length; i++) {
    const answer = i % 50 === 7 ? (labels[i]! + 1 + (i % 9)) % classCount : labels[i]!;
    probabilities[i * classCount + answer] = 0.91;
  }
  const score = scorePredictions(probabilities, labels);
  const store = new RunStore(dataDir);
  const preset = findPreset('seed-cnn')!;
  const { id } = await store.create({
    name: 'Bench: 10,000 evaluated',
    datasetId: builtInDatasetId,
    presetId: preset.id,
    layers: preset.layers,
    settings: preset.settings,
    backend: 'auto',
  });
  await store.writeEvaluation(id, score.loss, score.accuracy, labels, probabilities);
  await store.update(id, (s) => ({
    ...s,
    status: 'completed',
    pid: null,
    stoppedBy: 'epochs',
    testAccuracy: score.accuracy,
    testLoss: score.loss,
    endedAt: new Date().toISOString(),
  }));
  return id;
}

/** Milliseconds from navigating to the inspector until its matrix, and its first screen of tiles, are on screen. */
export async function benchInspectorOpen(page: Page, url: string, dataDir: string): Promise<{ matrixMs: number; tilesMs: number }> {
  const runId = await writeEvaluatedRun(dataDir);
  await page.goto(`${url}#inspector?run=${runId}`);
  const mark = async (name: string) => {
    for (let i = 0; i < 300; i++) {
      const time = await page.evaluate<number | null>(`performance.getEntriesByName('${name}')[0]?.startTime ?? null`);
      if (time !== null) return time;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the inspector never marked ${name}`);
  };
  return { matrixMs: await mark('inspector:matrix'), tilesMs: await mark('thumbnails:first-draw') };
}
