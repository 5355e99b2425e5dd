import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../main/core/runs/runStore';
import { seedSpec } from './labHarness';
import { tempDir } from './tempDir';

const epoch = (n: number, valLoss: number) => ({ epoch: n, loss: 0.5, accuracy: 0.9, valLoss, valAccuracy: 0.9, seconds: 1, imagesPerSecond: 1000, isBest: true, checkpointed: true });

describe('the run store', () => {
  it('shows a run whose process died as interrupted, with its metrics intact', async () => {
    const store = new RunStore(tempDir('runs'));
    const { id } = await store.create(seedSpec('seed-mlp', {}));
    await store.appendEpoch(id, epoch(1, 0.3));
    await store.appendEpoch(id, epoch(2, 0.2));
    expect((await store.summary(id)).status).toBe('running');
    // The app crashed: run.json still says running, for a process that no longer exists.
    await store.update(id, (s) => ({ ...s, pid: 2 ** 22 + 12345 }));
    const summary = await store.summary(id);
    expect(summary).toMatchObject({ status: 'interrupted', epochsDone: 2, bestValLoss: 0.2 });
  });

  it('skips a torn metrics line and says so, instead of failing', async () => {
    const store = new RunStore(tempDir('runs'));
    const { id } = await store.create(seedSpec('seed-mlp', {}));
    await store.appendEpoch(id, epoch(1, 0.3));
    appendFileSync(join(store.root, id, 'metrics.jsonl'), '{"epoch":2,"loss":0.4');
    const detail = await store.detail(id);
    expect(detail.epochs).toHaveLength(1);
    expect(detail.damaged).toEqual(['metrics.jsonl: 1 unreadable line skipped']);
  });

  it('renames, refuses a damaged run.json with a clear error, and deletes', async () => {
    const store = new RunStore(tempDir('runs'));
    const { id } = await store.create(seedSpec('seed-mlp', {}));
    expect((await store.rename(id, 'Baseline')).name).toBe('Baseline');
    const runJson = join(store.root, id, 'run.json');
    const saved = readFileSync(runJson, 'utf8');
    writeFileSync(runJson, '{ not json');
    await expect(store.summary(id)).rejects.toThrow(/run .*: run.json is damaged/);
    expect(await store.list()).toEqual([]);
    writeFileSync(runJson, saved);
    await store.delete(id);
    await expect(store.summary(id)).rejects.toThrow(`no run with id ${id}`);
  });
});
