import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../main/core/runs/runStore';
import { seedSpec } from './labHarness';
import { tempDir } from './tempDir';

const epoch = (n: number, valLoss: number) => ({
  epoch: n,
  loss: 0.5,
  accuracy: 0.9,
  valLoss,
  valAccuracy: 0.9,
  seconds: 1,
  imagesPerSecond: 1000,
  isBest: true,
  checkpointed: true,
});

async function storeWithRun() {
  const store = new RunStore(tempDir('runs'));
  const { id } = await store.create(seedSpec('seed-mlp', {}));
  return { store, id, dir: join(store.root, id) };
}

/** A checkpoint as checkpointWriter leaves it: model.json naming one weights file of the promised size. */
function writeCheckpoint(dir: string, floats: number): void {
  writeFileSync(join(dir, 'model', 'weights-1.bin'), Buffer.alloc(floats * 4));
  writeFileSync(
    join(dir, 'model', 'model.json'),
    JSON.stringify({
      modelTopology: { class_name: 'Sequential' },
      weightsManifest: [{ paths: ['weights-1.bin'], weights: [{ name: 'w', shape: [floats], dtype: 'float32' }] }],
    }),
  );
}

describe('the run store', () => {
  it('stores an imported model whole or not at all, and clears staging folders a dead import left', async () => {
    const store = new RunStore(tempDir('runs'));
    const evaluation = {
      testLoss: 0.5,
      testAccuracy: 1,
      labels: Uint8Array.from([1, 2]),
      probabilities: Float32Array.from({ length: 20 }, (_, i) => (i === 1 || i === 12 ? 1 : 0)),
    };
    const importedFrom = { fileName: 'm.h5', format: 'keras-h5' as const, notes: [] };
    const abandoned = await store.stagingDir();
    const staged = await store.stagingDir();
    // The staged checkpoint is gone (say, removed under it): no run appears, not even a damaged one.
    await expect(store.createImported(seedSpec('seed-mlp', {}), importedFrom, join(staged, 'nothing-here'), evaluation)).rejects.toThrow();
    expect(await store.list()).toEqual([]);

    mkdirSync(join(staged, 'model'));
    writeCheckpoint(staged, 4);
    const run = await store.createImported(seedSpec('seed-mlp', {}), importedFrom, join(staged, 'model'), evaluation);
    expect(run).toMatchObject({ status: 'imported', hasCheckpoint: true, hasEvaluation: true, testAccuracy: 1, seconds: null, importedFrom });
    expect((await store.evaluation(run.id)).predicted).toEqual(Uint8Array.from([1, 2]));

    const anHourAgo = new Date(Date.now() - 61 * 60_000);
    utimesSync(abandoned, anHourAgo, anHourAgo);
    const next = await store.stagingDir();
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(staged)).toBe(true);
    expect(existsSync(next)).toBe(true);
  });

  it('shows a run whose process died as interrupted, with its metrics intact', async () => {
    const { store, id } = await storeWithRun();
    await store.appendEpoch(id, epoch(1, 0.3));
    await store.appendEpoch(id, epoch(2, 0.2));
    expect((await store.summary(id)).status).toBe('running');
    // The app crashed: run.json still says running, for a process that no longer exists.
    await store.update(id, (s) => ({ ...s, pid: 2 ** 22 + 12345 }));
    expect(await store.summary(id)).toMatchObject({ status: 'interrupted', epochsDone: 2, bestValLoss: 0.2 });
  });

  it('shows a "running" run as interrupted when its pid belongs to another process now (no heartbeat)', async () => {
    const { store, id, dir } = await storeWithRun();
    expect((await store.summary(id)).status).toBe('running');
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000);
    utimesSync(join(dir, 'heartbeat'), fiveMinutesAgo, fiveMinutesAgo);
    expect((await store.summary(id)).status).toBe('interrupted');
    await store.beat(id);
    expect((await store.summary(id)).status).toBe('running');
  });

  it('skips a torn metrics line and says so, instead of failing', async () => {
    const { store, id, dir } = await storeWithRun();
    await store.appendEpoch(id, epoch(1, 0.3));
    appendFileSync(join(dir, 'metrics.jsonl'), '{"epoch":2,"loss":0.4');
    const detail = await store.detail(id);
    expect(detail.epochs).toHaveLength(1);
    expect(detail.damaged).toEqual(['metrics.jsonl: 1 unreadable line skipped']);
  });

  it('names a metrics.jsonl that is a folder, not a file', async () => {
    const { store, id, dir } = await storeWithRun();
    mkdirSync(join(dir, 'metrics.jsonl'));
    expect((await store.summary(id)).damaged).toEqual(['metrics.jsonl: it is not a regular file']);
  });

  it('lists a run with a damaged or missing run.json as damaged, and deletes it', async () => {
    const { store, id, dir } = await storeWithRun();
    expect((await store.rename(id, 'Baseline')).name).toBe('Baseline');
    writeFileSync(join(dir, 'run.json'), '{ not json');
    const [listed] = await store.list();
    expect(listed).toMatchObject({ id, status: 'damaged', name: id });
    expect(listed!.damaged[0]).toMatch(/^run.json: it is not JSON/);
    await expect(store.rename(id, 'x')).rejects.toThrow(`run ${id}: run.json is damaged`);
    rmSync(join(dir, 'run.json'));
    expect(await store.summary(id)).toMatchObject({ status: 'damaged', damaged: ['run.json: missing'] });
    await store.delete(id);
    await expect(store.summary(id)).rejects.toThrow(`no run with id ${id}`);
    expect(await store.list()).toEqual([]);
  });

  it('passes over folders in runs/ whose names are not run ids', async () => {
    const { store, id } = await storeWithRun();
    mkdirSync(join(store.root, 'Backup Copy (2)'));
    writeFileSync(join(store.root, 'notes.txt'), 'hello');
    expect((await store.list()).map((r) => r.id)).toEqual([id]);
  });

  it('reports a damaged spec.json in `damaged` and still gives the run', async () => {
    const { store, id, dir } = await storeWithRun();
    writeFileSync(join(dir, 'spec.json'), '{"name": 3}');
    const detail = await store.detail(id);
    expect(detail.spec).toBeNull();
    expect(detail.damaged[0]).toMatch(/^spec.json: /);
    expect(detail.summary.status).toBe('running');
  });

  it('has a checkpoint only when model.json parses and every weights file has its manifest size', async () => {
    const { store, id, dir } = await storeWithRun();
    expect((await store.summary(id)).hasCheckpoint).toBe(false);
    writeCheckpoint(dir, 100);
    expect((await store.summary(id)).hasCheckpoint).toBe(true);
    truncateSync(join(dir, 'model', 'weights-1.bin'), 399);
    const truncated = await store.summary(id);
    expect(truncated.hasCheckpoint).toBe(false);
    expect(truncated.damaged).toEqual(['model: weights-1.bin: 399 bytes, but model.json promises 400']);
    writeFileSync(join(dir, 'model', 'model.json'), '{"modelTopology": {}, "weightsManifest": [{"paths": ["../../spec.json"], "weights": []}]}');
    expect((await store.summary(id)).damaged[0]).toMatch(/^model: model.json: weightsManifest.0.paths.0: weights files are plain names/);
  });

  it('refuses an eval.json that does not match its run', async () => {
    const { store, id, dir } = await storeWithRun();
    const probabilities = new Float32Array(20).fill(0.05);
    probabilities[7] = 0.55;
    probabilities[12] = 0.55;
    await store.writeEvaluation(id, 0.4, 1, Uint8Array.from([7, 2]), probabilities);
    await store.update(id, (s) => ({ ...s, testAccuracy: 1 }));
    expect((await store.evaluation(id)).predicted).toEqual(Uint8Array.from([7, 2]));
    const stored = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8'));
    writeFileSync(join(dir, 'eval.json'), JSON.stringify({ ...stored, count: 3 }));
    await expect(store.evaluation(id)).rejects.toThrow(`run ${id}: eval.json does not match the run: it claims 3 images but lists 2 labels`);
    writeFileSync(join(dir, 'eval.json'), JSON.stringify(stored));
    await store.update(id, (s) => ({ ...s, testAccuracy: 0.5 }));
    await expect(store.evaluation(id)).rejects.toThrow("its accuracy 1 differs from the run's 0.5");
  });
});
