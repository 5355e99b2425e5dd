import { spawnSync } from 'node:child_process';
import { unzipSync } from 'fflate';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/apiError';
import type { RunSummary } from '../../shared/apiTypes';
import { findPreset } from '../../shared/layers/presets';
import { meanProbabilities } from '../../shared/metrics/meanProbabilities';
import { predictedLabels } from '../../shared/metrics/classificationMetrics';
import { forkWorkerLauncher, WorkerHost } from '../../main/core/workerHost';
import { labHarness, seedSpec, workerEntry } from './labHarness';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';

const cli = join(process.cwd(), 'dist', 'main', 'cli.cjs');

const reason = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof ApiError ? (error.reason?.key ?? error.code) : String(error)),
  );

describe('ensembles', () => {
  const lab = labHarness();
  let a: RunSummary;
  let b: RunSummary;

  async function train(seed: number, testLimit: number): Promise<RunSummary> {
    const { runId } = await lab.service.startTraining({
      ...seedSpec('seed-mlp', { epochs: 1, trainLimit: 3000, testLimit, batchSize: 100, seed }),
      name: `seed ${seed}`,
    });
    await lab.finished(runId);
    return lab.service.getRun({ runId }).then((d) => d.summary);
  }

  beforeAll(async () => {
    a = await train(1, 1000);
    b = await train(2, 1000);
  }, 240_000);
  afterAll(() => rm(lab.dataDir, { recursive: true, force: true }));

  it('averages its members: its prediction of each test digit is the mean of theirs', async () => {
    const ensemble = await lab.service.createEnsemble({ runIds: [a.id, b.id], name: null });
    expect(ensemble).toMatchObject({ status: 'ensemble', name: 'Ensemble of seed 1 + seed 2', hasCheckpoint: true, hasEvaluation: true });
    expect(ensemble.ensembleOf?.map((m) => m.runId)).toEqual([a.id, b.id]);
    expect(ensemble.params).toBe(a.params! + b.params!);
    const [ea, eb, ee] = await Promise.all([a, b, ensemble].map((r) => lab.service.getEvaluation({ runId: r.id })));
    expect(Array.from(ee!.predicted)).toEqual(Array.from(predictedLabels(meanProbabilities([ea!.probabilities, eb!.probabilities]))));
    expect(ee!.testAccuracy).toBe(ee!.predicted.filter((p, i) => p === ee!.labels[i]).length / ee!.count);
    expect(ee!.count).toBe(1000);
    // Listed among the runs, named, and kept after its members go.
    expect((await lab.service.listRuns()).find((r) => r.id === ensemble.id)?.status).toBe('ensemble');
  });

  it('exports as one TensorFlow.js model that reads every test digit and sketch as the ensemble does; a Keras file is refused with the reason', async () => {
    const ensemble = await lab.service.createEnsemble({ runIds: [a.id, b.id], name: 'export pair' });
    const test = (await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()))).test;
    const sketches = Float32Array.from(test.pixels.subarray(0, 3 * 784), (p) => p / 255);
    const file = await lab.service.exportModel({ runId: ensemble.id, format: 'tfjs-zip', sketches });
    expect(file.fileName).toBe('export pair.zip');
    expect(file.parity).toMatchObject({ changed: 0, count: 1000, sketches: { changed: 0, count: 3 } });
    expect(file.parity.maxDifference).toBeLessThan(1e-5);
    // The graph: one input feeding each member's layers, renamed apart, and an Average of the two softmax outputs.
    const { 'model.json': json, 'weights.bin': weights } = unzipSync(file.bytes);
    const model = JSON.parse(new TextDecoder().decode(json)) as {
      modelTopology: { class_name: string; config: { layers: { class_name: string; name: string; inbound_nodes: unknown[][] }[] } };
      weightsManifest: { weights: { name: string }[] }[];
    };
    const layers = model.modelTopology.config.layers;
    expect(model.modelTopology.class_name).toBe('Model');
    expect([layers[0]!.class_name, layers.at(-1)!.class_name]).toEqual(['InputLayer', 'Average']);
    expect(layers.at(-1)!.inbound_nodes[0]).toHaveLength(2);
    const perMember = findPreset('seed-mlp')!.layers.length - 1;
    expect(layers.slice(1, -1).map((l) => l.name.split('_')[0])).toEqual([...Array(perMember).fill('member1'), ...Array(perMember).fill('member2')]);
    const [ownA, ownB] = await Promise.all([a, b].map((run) => lab.service.getCheckpoint({ runId: run.id })));
    expect(weights!.length).toBe(ownA!.weightData.length + ownB!.weightData.length);
    expect(model.weightsManifest[0]!.weights[0]!.name).toMatch(/^member1_dense_\w+\/kernel$/);
    expect(await reason(lab.service.exportModel({ runId: ensemble.id, format: 'keras-h5' }))).toBe('export.ensembleKeras');
  }, 120_000);

  it('reads digits with all its members, and keeps their checkpoints when a member is deleted', async () => {
    const ensemble = await lab.service.createEnsemble({ runIds: [a.id, b.id], name: 'pair' });
    expect(ensemble.name).toBe('pair');
    expect(await reason(lab.service.getCheckpoint({ runId: ensemble.id }))).toBe('run.ensembleCheckpoint');
    expect(await reason(lab.service.getCheckpoint({ runId: ensemble.id, member: 2 }))).toBe('run.noMember');
    const [memberB, ownB] = await Promise.all([lab.service.getCheckpoint({ runId: ensemble.id, member: 1 }), lab.service.getCheckpoint({ runId: b.id })]);
    expect(Buffer.from(memberB.weightData).equals(Buffer.from(ownB.weightData))).toBe(true);

    const test = (await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()))).test;
    const inputs = Float32Array.from(test.pixels.subarray(0, 20 * 784), (p) => p / 255);
    const host = new WorkerHost(forkWorkerLauncher(workerEntry));
    const predict = async (modelDirs: string[]) => (await host.predict({ type: 'predict', backend: 'wasm', modelDirs, inputs })).probabilities;
    const detail = await lab.service.getRun({ runId: ensemble.id });
    expect(detail.modelPaths).toHaveLength(2);
    const [both, onlyA, onlyB] = await Promise.all([predict(detail.modelPaths), predict([detail.modelPaths[0]!]), predict([detail.modelPaths[1]!])]);
    const mean = meanProbabilities([onlyA, onlyB]);
    for (let i = 0; i < both.length; i++) expect(both[i]).toBeCloseTo(mean[i]!, 6);

    // `npm run ensemble` makes the same, named apart from the first, and prints each member's accuracy beside its own.
    const printed = spawnSync(process.execPath, [cli, 'ensemble', a.id, b.id, '--data-dir', lab.dataDir], { encoding: 'utf8' });
    expect(printed.stderr).toBe('');
    const percent = (run: RunSummary) => `${(run.testAccuracy! * 100).toFixed(2)} %`;
    const [, secondId, accuracy] = /^Made ensemble Ensemble of seed 1 \+ seed 2 \(2\) as run ([\w-]+): test accuracy (\d+\.\d\d %)\.\n/.exec(printed.stdout)!;
    expect(printed.stdout.split('\n').slice(1)).toEqual([`  seed 1 (${a.id}): ${percent(a)}`, `  seed 2 (${b.id}): ${percent(b)}`, '']);
    const second = (await lab.service.listRuns()).find((r) => r.id === secondId)!;
    expect(percent(second)).toBe(accuracy);
    await lab.service.deleteRun({ runId: b.id });
    const after = (await lab.service.listRuns()).find((r) => r.id === second.id);
    expect(after).toMatchObject({ hasCheckpoint: true, damaged: [] });
    expect((await lab.service.getCheckpoint({ runId: second.id, member: 1 })).weightData.byteLength).toBe(ownB.weightData.byteLength);
  }, 240_000);

  it('refuses members that cannot be averaged, with the reason, and leaves no run behind', async () => {
    const before = (await lab.service.listRuns()).length;
    const ensemble = (await lab.service.listRuns()).find((r) => r.status === 'ensemble')!;
    expect(await reason(lab.service.createEnsemble({ runIds: [a.id, a.id], name: null }))).toBe('ensemble.repeated');
    expect(await reason(lab.service.createEnsemble({ runIds: [a.id, ensemble.id], name: null }))).toBe('ensemble.nested');
    expect(await reason(lab.service.createEnsemble({ runIds: [a.id, 'no-such-run'], name: null }))).toBe('run.notFound');
    const alone = spawnSync(process.execPath, [cli, 'ensemble', a.id, '--data-dir', lab.dataDir], { encoding: 'utf8' });
    expect(alone.status).toBe(2);
    expect(alone.stderr).toBe(
      'name at least two runs by their ids (the history shows them)\nusage: npm run ensemble -- RUN RUN… [--name NAME] [--data-dir D] [--json]\n',
    );

    const fewer = await train(3, 500);
    expect(await reason(lab.service.createEnsemble({ runIds: [a.id, fewer.id], name: null }))).toBe('ensemble.otherTestDigits');

    expect((await lab.service.listRuns()).length).toBe(before + 1);
  }, 240_000);
});
