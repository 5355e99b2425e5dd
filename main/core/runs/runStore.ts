import { randomBytes } from 'node:crypto';
import { access, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { ApiError } from '../../../shared/apiError';
import {
  EpochMetricsSchema,
  RunSpecSchema,
  type EpochMetrics,
  type Evaluation,
  type RunDetail,
  type RunSpec,
  type RunSummary,
} from '../../../shared/apiTypes';
import { confusionMatrix, predictedLabels } from '../../../shared/metrics/classificationMetrics';
import { appendJsonLine, readJsonFile, readJsonLines, writeJsonAtomic } from '../atomicFile';
import { RunStateSchema, StoredEvaluationSchema, type RunState } from './runState';

const exists = (path: string) => access(path).then(() => true, () => false);

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * Runs on disk: runs/<id>/spec.json, run.json, metrics.jsonl (append-only), model/ (best
 * checkpoint, written by the worker) and eval.json. Every rewrite is atomic; a run whose
 * process died shows as interrupted with what it had written.
 */
export class RunStore {
  readonly root: string;
  /** Serialises writes per run so run.json updates never interleave. */
  private readonly writeQueues = new Map<string, Promise<unknown>>();

  constructor(dataDir: string) {
    this.root = join(dataDir, 'runs');
  }

  modelDir(runId: string): string {
    return join(this.root, runId, 'model');
  }

  async create(spec: RunSpec): Promise<RunSummary> {
    const now = new Date();
    const id = newRunId(now);
    const dir = join(this.root, id);
    await mkdir(join(dir, 'model'), { recursive: true });
    await writeJsonAtomic(join(dir, 'spec.json'), spec);
    const state: RunState = {
      name: spec.name,
      createdAt: now.toISOString(),
      status: 'running',
      pid: process.pid,
      backend: null,
      bestEpoch: null,
      testAccuracy: null,
      testLoss: null,
      stoppedBy: null,
      error: null,
    };
    await writeJsonAtomic(join(dir, 'run.json'), state);
    return this.summary(id);
  }

  /** Applies a change to run.json after every earlier write of the same run. */
  update(runId: string, change: (state: RunState) => RunState): Promise<void> {
    return this.enqueue(runId, async () => {
      const state = await this.readState(runId);
      await writeJsonAtomic(join(this.root, runId, 'run.json'), change(state));
    });
  }

  appendEpoch(runId: string, metrics: EpochMetrics): Promise<void> {
    return this.enqueue(runId, () => appendJsonLine(join(this.root, runId, 'metrics.jsonl'), metrics));
  }

  async writeEvaluation(runId: string, testLoss: number, testAccuracy: number, labels: Uint8Array, probabilities: Float32Array): Promise<void> {
    const predicted = predictedLabels(probabilities);
    await this.enqueue(runId, () =>
      writeJsonAtomic(join(this.root, runId, 'eval.json'), {
        testLoss,
        testAccuracy,
        count: labels.length,
        confusion: confusionMatrix(labels, predicted),
        labels: Array.from(labels),
        predicted: Array.from(predicted),
        probabilities: Array.from(probabilities, (p) => Math.round(p * 1e6) / 1e6),
      }),
    );
  }

  async list(): Promise<RunSummary[]> {
    let ids: string[];
    try {
      ids = (await readdir(this.root)).filter((name) => !name.startsWith('.'));
    } catch {
      return [];
    }
    const summaries = await Promise.all(ids.map((id) => this.summary(id).catch(() => null)));
    return summaries.filter((s): s is RunSummary => s !== null).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async summary(runId: string): Promise<RunSummary> {
    const state = await this.readState(runId);
    const { epochs } = await this.readEpochs(runId);
    const dir = join(this.root, runId);
    const specRaw = await readJsonFile(join(dir, 'spec.json')).catch(() => null);
    const spec = v.safeParse(RunSpecSchema, specRaw);
    const bestValLoss = epochs.reduce<number | null>((best, e) => (best === null || e.valLoss < best ? e.valLoss : best), null);
    const interrupted = state.status === 'running' && (state.pid === null || !isProcessAlive(state.pid));
    return {
      id: runId,
      name: state.name,
      createdAt: state.createdAt,
      datasetId: spec.success ? spec.output.datasetId : 'unknown',
      presetId: spec.success ? spec.output.presetId : null,
      status: interrupted ? 'interrupted' : state.status,
      backend: state.backend,
      epochsDone: epochs.length,
      bestEpoch: state.bestEpoch ?? epochs.find((e) => e.valLoss === bestValLoss)?.epoch ?? null,
      bestValLoss,
      testAccuracy: state.testAccuracy,
      testLoss: state.testLoss,
      stoppedBy: state.stoppedBy,
      error: state.error,
      hasCheckpoint: await exists(join(dir, 'model', 'model.json')),
      hasEvaluation: await exists(join(dir, 'eval.json')),
    };
  }

  async detail(runId: string): Promise<RunDetail> {
    const summary = await this.summary(runId);
    const damaged: string[] = [];
    const specRaw = await readJsonFile(join(this.root, runId, 'spec.json')).catch((error: Error) => {
      damaged.push(`spec.json: ${error.message}`);
      return null;
    });
    const spec = v.safeParse(RunSpecSchema, specRaw);
    if (!spec.success) throw new ApiError('bad-data', `run ${runId}: spec.json is damaged${damaged.length ? ` (${damaged[0]})` : ''}`);
    const { epochs, problems } = await this.readEpochs(runId);
    damaged.push(...problems);
    return { summary, spec: spec.output, epochs, damaged };
  }

  async rename(runId: string, name: string): Promise<RunSummary> {
    await this.update(runId, (state) => ({ ...state, name }));
    return this.summary(runId);
  }

  async delete(runId: string): Promise<void> {
    await this.readState(runId);
    await rm(join(this.root, runId), { recursive: true, force: true });
  }

  async evaluation(runId: string): Promise<Evaluation> {
    const path = join(this.root, runId, 'eval.json');
    await this.readState(runId);
    let raw: unknown;
    try {
      raw = await readJsonFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('not-found', `run ${runId} has no evaluation yet`);
      throw new ApiError('bad-data', `run ${runId}: eval.json is damaged (${(error as Error).message})`);
    }
    const parsed = v.safeParse(StoredEvaluationSchema, raw);
    if (!parsed.success) throw new ApiError('bad-data', `run ${runId}: eval.json is damaged`);
    const stored = parsed.output;
    return {
      runId,
      testLoss: stored.testLoss,
      testAccuracy: stored.testAccuracy,
      count: stored.count,
      confusion: stored.confusion,
      labels: Uint8Array.from(stored.labels),
      predicted: Uint8Array.from(stored.predicted),
      probabilities: Float32Array.from(stored.probabilities),
    };
  }

  private async readState(runId: string): Promise<RunState> {
    const path = join(this.root, runId, 'run.json');
    let raw: unknown;
    try {
      raw = await readJsonFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('not-found', `no run with id ${runId}`);
      throw new ApiError('bad-data', `run ${runId}: run.json is damaged (${(error as Error).message})`);
    }
    const parsed = v.safeParse(RunStateSchema, raw);
    if (!parsed.success) throw new ApiError('bad-data', `run ${runId}: run.json is damaged`);
    return parsed.output;
  }

  private async readEpochs(runId: string): Promise<{ epochs: EpochMetrics[]; problems: string[] }> {
    const problems: string[] = [];
    let lines: { values: unknown[]; badLines: number };
    try {
      lines = await readJsonLines(join(this.root, runId, 'metrics.jsonl'));
    } catch {
      return { epochs: [], problems };
    }
    const epochs: EpochMetrics[] = [];
    let invalid = lines.badLines;
    for (const value of lines.values) {
      const parsed = v.safeParse(EpochMetricsSchema, value);
      if (parsed.success) epochs.push(parsed.output);
      else invalid++;
    }
    if (invalid > 0) problems.push(`metrics.jsonl: ${invalid} unreadable line${invalid === 1 ? '' : 's'} skipped`);
    return { epochs, problems };
  }

  private enqueue<T>(runId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.writeQueues.get(runId) ?? Promise.resolve();
    const next = previous.then(write, write);
    this.writeQueues.set(runId, next.catch(() => undefined));
    return next;
  }
}
