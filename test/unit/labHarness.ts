import { join } from 'node:path';
import type { EventName, LabEvents } from '../../shared/api';
import type { RunSpec } from '../../shared/apiTypes';
import { findPreset } from '../../shared/layers/presets';
import { createLabService } from '../../main/core/labService';
import { forkWorkerLauncher, type WorkerLauncher, type WorkerProcess } from '../../main/core/workerHost';
import { tempDir } from './tempDir';

export const workerEntry = join(process.cwd(), 'dist', 'main', 'trainingWorker.cjs');
export const modelFileThreadEntry = join(process.cwd(), 'dist', 'main', 'modelFileThread.cjs');

/**
 * The lab service as a transport would use it (the same contract, in memory), with every event
 * recorded and every worker process it started kept, so tests can kill one. `browser`: as browser
 * mode starts it, going on with the sweeps left on disk.
 */
export function labHarness({ dataDir = tempDir('lab'), shell = 'cli' }: { dataDir?: string; shell?: 'cli' | 'browser' } = {}) {
  const events: { name: EventName; payload: unknown }[] = [];
  const workers: WorkerProcess[] = [];
  const waiters: { test: (name: EventName, payload: unknown) => boolean; resolve: (payload: unknown) => void }[] = [];
  const base = forkWorkerLauncher(workerEntry);
  const launchWorker: WorkerLauncher = (env) => {
    const worker = base(env);
    workers.push(worker);
    return worker;
  };
  const service = createLabService({
    dataDir,
    shell,
    appVersion: 'test',
    launchWorker,
    modelFileThreadEntry,
    emit: (name, payload) => {
      events.push({ name, payload });
      for (const waiter of [...waiters]) {
        if (waiter.test(name, payload)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(payload);
        }
      }
    },
  });
  return {
    service,
    dataDir,
    events,
    workers,
    /** The payloads of one event, in order, for one run. */
    eventsOf<E extends EventName>(name: E, runId: string): LabEvents[E][] {
      return events.filter((e) => e.name === name && (e.payload as { runId?: string }).runId === runId).map((e) => e.payload as LabEvents[E]);
    },
    /** Resolves with the next event of that name matching `where`. */
    next<E extends EventName>(name: E, where: (payload: LabEvents[E]) => boolean = () => true): Promise<LabEvents[E]> {
      return new Promise((resolve) => waiters.push({ test: (n, p) => n === name && where(p as LabEvents[E]), resolve: resolve as (p: unknown) => void }));
    },
    /** Resolves with train:done or rejects with train:error of a run. */
    finished(runId: string): Promise<LabEvents['train:done']> {
      return new Promise((resolve, reject) => {
        waiters.push({ test: (n, p) => n === 'train:done' && (p as { runId: string }).runId === runId, resolve: resolve as (p: unknown) => void });
        waiters.push({
          test: (n, p) => n === 'train:error' && (p as { runId: string }).runId === runId,
          resolve: (p) => reject(new Error((p as { message: string }).message)),
        });
      });
    },
  };
}

/** A seed preset's spec with overrides, on the wasm backend. */
export function seedSpec(presetId: 'seed-mlp' | 'seed-cnn', settings: Partial<RunSpec['settings']>, layers?: RunSpec['layers']): RunSpec {
  const preset = findPreset(presetId)!;
  return {
    name: `test ${presetId}`,
    datasetId: 'mnist',
    presetId,
    layers: layers ?? preset.layers,
    settings: { ...preset.settings, ...settings },
    backend: 'wasm',
  };
}
