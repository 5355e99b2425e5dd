import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BatchPointSchema,
  EpochMetricsSchema,
  idPattern,
  RunSpecSchema,
  type BatchPoint,
  type Checkpoint,
  type CompactPredictions,
  type EnsembleMember,
  type EpochMetrics,
  type EpochPredictions,
  type Evaluation,
  type ImportedFrom,
  type RunDetail,
  type RunSpec,
  type RunSummary,
} from '../../../shared/apiTypes';
import { analyzeStack } from '../../../shared/layers/inferShapes';
import { specSettings } from '../../../shared/sweeps/sweepSettings';
import { confusionMatrix, predictedLabels } from '../../../shared/metrics/classificationMetrics';
import * as v from 'valibot';
import { appendJsonLine, DamagedFileError, isMissing, readJsonLines, readValidatedJson, writeJsonAtomic } from '../../common/atomicFile';
import { readCheckpoint, verifyCheckpoint } from '../../common/checkpointFiles';
import { readEpochPredictions, writeEpochPredictions } from './epochPredictionFiles';
import { evaluationMismatch, RunStateSchema, StoredEvaluationSchema, type RunState } from './runState';
import { apiFailure } from '../../../shared/apiErrorReasons';

/** How often a training host touches its run's heartbeat file, and when a silent one counts as gone. */
export const heartbeatIntervalMs = 10_000;
const heartbeatStaleMs = 60_000;
/** Import staging folders: named so no run id matches, and how old one must be to count as abandoned. */
const stagingPrefix = '.import-';
const staleStagingMs = 60 * 60 * 1000;

const fileLimits = { json: 1024 * 1024, metrics: 64 * 1024 * 1024, evaluation: 128 * 1024 * 1024 };

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How long a run took: from creation to its end, to now while it runs, or its epochs' time when its end was not recorded. */
function runSeconds(state: RunState | null, epochs: EpochMetrics[]): number | null {
  if (!state || state.importedFrom || state.ensembleOf) return null;
  const start = Date.parse(state.createdAt);
  if (state.endedAt) return (Date.parse(state.endedAt) - start) / 1000;
  if (state.status === 'running') return (Date.now() - start) / 1000;
  return epochs.length > 0 ? epochs.reduce((sum, e) => sum + e.seconds, 0) : null;
}

/** An ensemble's parameters: every member's together; unknown when one member's is. */
function memberParams(members: EnsembleMember[]): number | null {
  return members.some((m) => m.params === null) ? null : members.reduce((sum, m) => sum + m.params!, 0);
}

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** The test-set evaluation a run made finished carries: its loss, accuracy, and every digit's label and probabilities. */
type FinishedEvaluation = { testLoss: number; testAccuracy: number; labels: Uint8Array; probabilities: Float32Array };

/** What one file of a run gave: its content, or why it could not be read. */
type Read<T> = { value: T; problem: null } | { value: null; problem: string | null };

async function tryRead<T>(file: string, read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { value: await read(), problem: null };
  } catch (error) {
    if (isMissing(error)) return { value: null, problem: `${file}: missing` };
    if (error instanceof DamagedFileError) return { value: null, problem: `${file}: ${error.message}` };
    throw error;
  }
}

const readSpec = (dir: string): Promise<Read<RunSpec>> => tryRead('spec.json', () => readValidatedJson(join(dir, 'spec.json'), RunSpecSchema, fileLimits.json));

/**
 * Runs on disk: runs/<id>/spec.json, run.json, metrics.jsonl (append-only), model/ (best
 * checkpoint, written by the worker), eval.json and heartbeat. Every rewrite is atomic. A run
 * whose host died shows as interrupted, one whose run.json is unreadable as damaged; each
 * damaged file is named, and every run can be deleted.
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
      endedAt: null,
      importedFrom: null,
      ensembleOf: null,
    };
    await writeFile(join(dir, 'heartbeat'), '');
    await writeJsonAtomic(join(dir, 'run.json'), state);
    return this.summary(id);
  }

  /**
   * A new folder for an import's checkpoint while it is checked; not named like a run, so no
   * listing shows it. Ones an hour old were left by a process that died mid-import, and go.
   */
  async stagingDir(): Promise<string> {
    await mkdir(this.root, { recursive: true });
    for (const name of await readdir(this.root)) {
      const info = name.startsWith(stagingPrefix) ? await stat(join(this.root, name)).catch(() => null) : null;
      if (info && Date.now() - info.mtimeMs > staleStagingMs) await rm(join(this.root, name), { recursive: true, force: true });
    }
    const dir = join(this.root, `${stagingPrefix}${randomBytes(6).toString('hex')}`);
    await mkdir(dir);
    return dir;
  }

  /**
   * Makes a run of an imported model whose checkpoint (in `stagedModelDir`, from stagingDir)
   * loaded and was evaluated: the run appears whole or not at all.
   */
  createImported(spec: RunSpec, importedFrom: ImportedFrom, stagedModelDir: string, evaluation: FinishedEvaluation): Promise<RunSummary> {
    return this.createFinished(spec, evaluation, { status: 'imported', importedFrom, ensembleOf: null }, (dir) => rename(stagedModelDir, join(dir, 'model')));
  }

  /**
   * Makes an ensemble run: a copy of each member's checkpoint in members/<n>/ (so deleting a
   * member leaves the ensemble whole), and the evaluation of the members' mean prediction.
   */
  createEnsemble(spec: RunSpec, members: EnsembleMember[], evaluation: FinishedEvaluation): Promise<RunSummary> {
    return this.createFinished(spec, evaluation, { status: 'ensemble', importedFrom: null, ensembleOf: members }, async (dir) => {
      for (const [i, member] of members.entries()) {
        await cp(this.modelDir(member.runId), join(dir, 'members', String(i)), { recursive: true });
        await verifyCheckpoint(join(dir, 'members', String(i)));
      }
    });
  }

  /** A run finished when it is made (an import, an ensemble), its models put in place by `placeModels`: whole or not at all. */
  private async createFinished(
    spec: RunSpec,
    evaluation: FinishedEvaluation,
    origin: Pick<RunState, 'status' | 'importedFrom' | 'ensembleOf'>,
    placeModels: (dir: string) => Promise<void>,
  ): Promise<RunSummary> {
    const now = new Date();
    const id = newRunId(now);
    const dir = join(this.root, id);
    await mkdir(dir, { recursive: true });
    try {
      await writeJsonAtomic(join(dir, 'spec.json'), spec);
      await placeModels(dir);
      await this.writeEvaluation(id, evaluation.testLoss, evaluation.testAccuracy, evaluation.labels, evaluation.probabilities);
      const state: RunState = {
        name: spec.name,
        createdAt: now.toISOString(),
        pid: null,
        backend: null,
        bestEpoch: null,
        testAccuracy: evaluation.testAccuracy,
        testLoss: evaluation.testLoss,
        stoppedBy: null,
        error: null,
        endedAt: now.toISOString(),
        ...origin,
      };
      // run.json last: until it exists the folder reads as a damaged run, never as a half-made sound one.
      await writeJsonAtomic(join(dir, 'run.json'), state);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return this.summary(id);
  }

  /** Says the run's host is alive; a "running" run without a fresh heartbeat is shown as interrupted. */
  async beat(runId: string): Promise<void> {
    const now = new Date();
    await utimes(join(this.root, runId, 'heartbeat'), now, now).catch(() => undefined);
  }

  /** Applies a change to run.json after every earlier write of the same run. */
  update(runId: string, change: (state: RunState) => RunState): Promise<void> {
    return this.enqueue(runId, async () => {
      const state = await this.readState(runId);
      await writeJsonAtomic(join(this.root, runId, 'run.json'), change(state));
    });
  }

  /** Keeps a batch event's point, so a reloaded window can redraw the run's whole curve. */
  appendBatch(runId: string, point: BatchPoint): Promise<void> {
    return this.enqueue(runId, () => appendJsonLine(join(this.root, runId, 'batches.jsonl'), point));
  }

  appendEpoch(runId: string, metrics: EpochMetrics): Promise<void> {
    return this.enqueue(runId, () => appendJsonLine(join(this.root, runId, 'metrics.jsonl'), metrics));
  }

  /** Keeps how an epoch's model read the test digits, within the bound on epoch files (the best epoch is always kept). */
  async writeEpochPredictions(runId: string, epoch: number, predictions: CompactPredictions): Promise<void> {
    const dir = await this.runDir(runId);
    await this.enqueue(runId, async () => {
      const state = await this.readStateFile(runId).catch(() => null);
      await writeEpochPredictions(dir, epoch, predictions, state?.bestEpoch ? [state.bestEpoch] : []);
    });
  }

  /** How the run read its test digits after each kept epoch; damaged epoch files are listed, not fatal. */
  async epochPredictions(runId: string): Promise<EpochPredictions> {
    const { count, epochs, damaged } = await readEpochPredictions(await this.runDir(runId));
    const predicted = new Uint8Array(epochs.length * count);
    const confidence = new Uint8Array(epochs.length * count);
    epochs.forEach(({ predictions }, i) => {
      predicted.set(predictions.predicted, i * count);
      confidence.set(predictions.confidence, i * count);
    });
    return { runId, count, epochs: epochs.map((e) => e.epoch), predicted, confidence, damaged };
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

  /** Every folder under runs/ named like a run id, newest first; others there are passed over. */
  async list(): Promise<RunSummary[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const summaries = await Promise.all(names.filter((name) => idPattern.test(name)).map((id) => this.summary(id).catch(() => null)));
    return summaries.filter((s): s is RunSummary => s !== null).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async summary(runId: string): Promise<RunSummary> {
    return (await this.readRun(runId)).summary;
  }

  /** Reads a run's files once: its summary, and the spec and epochs it was made from (detail needs them too). */
  private async readRun(runId: string): Promise<{ summary: RunSummary; spec: RunSpec | null; epochs: EpochMetrics[] }> {
    const dir = await this.runDir(runId);
    const [state, spec, epochs, evaluation] = await Promise.all([
      tryRead('run.json', () => this.readStateFile(runId)),
      readSpec(dir),
      this.readLines(runId, 'metrics.jsonl', EpochMetricsSchema),
      stat(join(dir, 'eval.json')).then(
        (info) => info.isFile(),
        () => false,
      ),
    ]);
    const members = state.value?.ensembleOf ?? null;
    const checkpoints = await Promise.all(
      this.modelDirsIn(dir, members).map((modelDir, i) => tryRead(members ? `members/${i}` : 'model', () => verifyCheckpoint(modelDir))),
    );
    const damaged = [state.problem, spec.problem, ...epochs.problems].filter((p): p is string => p !== null);
    const analysis = spec.value ? analyzeStack(spec.value.layers) : null;
    // No checkpoint yet is normal for a run in training; one that exists and does not load (or an ensemble's missing member) is damage worth naming.
    for (const { problem } of checkpoints) if (problem && (members || problem !== 'model: missing')) damaged.push(problem);
    const list = epochs.values;
    const bestValLoss = list.reduce<number | null>((best, e) => (best === null || e.valLoss < best ? e.valLoss : best), null);
    const best = list.find((e) => e.valLoss === bestValLoss);
    const s = state.value;
    const summary: RunSummary = {
      id: runId,
      name: s?.name ?? runId,
      createdAt: s?.createdAt ?? (await stat(dir)).mtime.toISOString(),
      datasetId: spec.value?.datasetId ?? 'unknown',
      presetId: spec.value?.presetId ?? null,
      status: !s ? 'damaged' : s.status === 'running' && !(await this.isLive(runId, s)) ? 'interrupted' : s.status,
      backend: s?.backend ?? null,
      epochsDone: list.length,
      bestEpoch: s?.bestEpoch ?? best?.epoch ?? null,
      bestValLoss,
      testAccuracy: s?.testAccuracy ?? null,
      testLoss: s?.testLoss ?? null,
      stoppedBy: s?.stoppedBy ?? null,
      error: s ? s.error : (state.problem ?? 'run.json cannot be read'),
      params: members ? memberParams(members) : analysis?.ok ? analysis.totalParams : null,
      bestValAccuracy: best?.valAccuracy ?? null,
      seconds: runSeconds(s, list),
      hasCheckpoint: checkpoints.every((c) => c.value !== null),
      hasEvaluation: evaluation,
      damaged,
      importedFrom: s?.importedFrom ?? null,
      ensembleOf: members,
      settings: spec.value ? specSettings(spec.value) : {},
    };
    return { summary, spec: spec.value, epochs: list };
  }

  /** A "running" run is live only while its host process exists and keeps its heartbeat fresh (a reused pid does not). */
  private async isLive(runId: string, state: RunState): Promise<boolean> {
    if (state.pid === null || !isProcessAlive(state.pid)) return false;
    const beat = await stat(join(this.root, runId, 'heartbeat')).catch(() => null);
    return beat !== null && Date.now() - beat.mtimeMs < heartbeatStaleMs;
  }

  /** The spec a run was made from, or null when spec.json is missing or damaged (its summary says which). */
  async spec(runId: string): Promise<RunSpec | null> {
    return (await readSpec(await this.runDir(runId))).value;
  }

  async detail(runId: string): Promise<RunDetail> {
    const [{ summary, spec, epochs }, batches] = await Promise.all([this.readRun(runId), this.readLines(runId, 'batches.jsonl', BatchPointSchema)]);
    const dir = join(this.root, runId);
    return {
      summary,
      spec,
      epochs,
      batches: batches.values,
      modelPath: summary.ensembleOf ? join(dir, 'members') : this.modelDir(runId),
      modelPaths: this.modelDirs(summary),
      damaged: [...summary.damaged, ...batches.problems],
    };
  }

  /** The folders of the checkpoints that read an image for a run: its own, or each of an ensemble's members'. */
  modelDirs(run: Pick<RunSummary, 'id' | 'ensembleOf'>): string[] {
    return this.modelDirsIn(join(this.root, run.id), run.ensembleOf);
  }

  /** The folders of the checkpoints that read an image for the run in `dir`: its own, or each of an ensemble's members'. */
  private modelDirsIn(dir: string, members: EnsembleMember[] | null): string[] {
    return members ? members.map((_, i) => join(dir, 'members', String(i))) : [join(dir, 'model')];
  }

  async rename(runId: string, name: string): Promise<RunSummary> {
    await this.update(runId, (state) => ({ ...state, name }));
    return this.summary(runId);
  }

  /** Deletes a run's folder, whatever state its files are in. */
  async delete(runId: string): Promise<void> {
    const dir = await this.runDir(runId);
    await this.enqueue(runId, () => rm(dir, { recursive: true, force: true }));
  }

  async evaluation(runId: string): Promise<Evaluation> {
    const dir = await this.runDir(runId);
    const state = await this.readStateFile(runId).catch(() => null);
    let stored;
    try {
      stored = await readValidatedJson(join(dir, 'eval.json'), StoredEvaluationSchema, fileLimits.evaluation);
    } catch (error) {
      if (isMissing(error)) throw apiFailure('not-found', 'run.noEvaluation', { id: runId });
      if (error instanceof DamagedFileError) throw apiFailure('bad-data', 'run.damagedFile', { id: runId, file: 'eval.json', detail: error.message });
      throw error;
    }
    const mismatch = evaluationMismatch(stored, state);
    if (mismatch) throw apiFailure('bad-data', 'run.evaluationMismatch', { id: runId, detail: mismatch });
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

  /** The best checkpoint's files (an ensemble's member `member`), verified, for the renderer's own tfjs to load. */
  async checkpoint(runId: string, member?: number): Promise<Checkpoint> {
    const members = (await this.readStateFile(runId).catch(() => null))?.ensembleOf ?? null;
    if (members && member === undefined) throw apiFailure('invalid-request', 'run.ensembleCheckpoint', { id: runId, count: members.length });
    if ((member ?? 0) >= (members?.length ?? 1)) throw apiFailure('not-found', 'run.noMember', { id: runId, member: member ?? 0 });
    const { modelJson, weightData } = await this.checkpointFiles(runId, members ? member : undefined);
    const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights.map(({ name, shape, dtype }) => ({ name, shape, dtype })));
    return { runId, modelTopology: modelJson.modelTopology, weightSpecs, weightData: new Uint8Array(weightData) };
  }

  /** The run's verified checkpoint files (an ensemble's member `member`); not-found when it has none yet, bad-data when it is damaged. */
  async checkpointFiles(runId: string, member?: number) {
    const dir = await this.runDir(runId);
    try {
      return await readCheckpoint(member === undefined ? join(dir, 'model') : join(dir, 'members', String(member)));
    } catch (error) {
      if (isMissing(error)) throw apiFailure('not-found', 'run.noCheckpoint', { id: runId });
      if (error instanceof DamagedFileError) throw apiFailure('bad-data', 'run.damagedCheckpoint', { id: runId, detail: error.message });
      throw error;
    }
  }

  /** The run's folder; not-found unless it is a folder named like a run id. */
  private async runDir(runId: string): Promise<string> {
    const dir = join(this.root, runId);
    const info = idPattern.test(runId) ? await stat(dir).catch(() => null) : null;
    if (!info?.isDirectory()) throw apiFailure('not-found', 'run.notFound', { id: runId });
    return dir;
  }

  private readStateFile(runId: string): Promise<RunState> {
    return readValidatedJson(join(this.root, runId, 'run.json'), RunStateSchema, fileLimits.json);
  }

  /** run.json for a change to it: refused with the reason when it is missing or damaged. */
  private async readState(runId: string): Promise<RunState> {
    try {
      return await this.readStateFile(runId);
    } catch (error) {
      if (isMissing(error)) throw apiFailure('not-found', 'run.notFound', { id: runId });
      if (error instanceof DamagedFileError) throw apiFailure('bad-data', 'run.damagedFile', { id: runId, file: 'run.json', detail: error.message });
      throw error;
    }
  }

  /** A JSON-lines file of the run, each line checked against `schema`; unreadable lines are counted, not fatal. */
  private async readLines<T extends v.GenericSchema>(runId: string, file: string, schema: T): Promise<{ values: v.InferOutput<T>[]; problems: string[] }> {
    const problems: string[] = [];
    let lines: { values: unknown[]; badLines: number };
    try {
      lines = await readJsonLines(join(this.root, runId, file), fileLimits.metrics);
    } catch (error) {
      if (error instanceof DamagedFileError) problems.push(`${file}: ${error.message}`);
      else if (!isMissing(error)) throw error;
      return { values: [], problems };
    }
    const values: v.InferOutput<T>[] = [];
    let invalid = lines.badLines;
    for (const value of lines.values) {
      const parsed = v.safeParse(schema, value);
      if (parsed.success) values.push(parsed.output);
      else invalid++;
    }
    if (invalid > 0) problems.push(`${file}: ${invalid} unreadable line${invalid === 1 ? '' : 's'} skipped`);
    return { values, problems };
  }

  private enqueue<T>(runId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.writeQueues.get(runId) ?? Promise.resolve();
    const next = previous.then(write, write);
    const settled = next.catch(() => undefined);
    this.writeQueues.set(runId, settled);
    // Forget finished queues, so the map does not grow with every run ever written.
    void settled.then(() => {
      if (this.writeQueues.get(runId) === settled) this.writeQueues.delete(runId);
    });
    return next;
  }
}
