import { createContext } from 'svelte';
import type { LabEvents } from '../../../shared/api';
import type { BatchPoint, ExportParity, ModelExportFormat, ModelFile, RunDetail, RunSummary } from '../../../shared/apiTypes';
import type { LabClient } from '../../api/lab';
import type { TrainingEvents } from '../../api/trainingEvents.svelte';
import type { RunCurves } from '../../lib/trainingCurves';
import { describeError, type UserMessage } from '../../lib/i18n/userMessage';
import { recentSketches } from '../../api/recentSketches';
import { runsWithSetting } from '../../lib/runFilter';

/** What the last export of a run found when its file was read back: the check it passed, or why it was refused. */
export type ExportCheck = { format: ModelExportFormat } & ({ parity: ExportParity } | { refused: UserMessage });

const isAfter = (a: BatchPoint, b: BatchPoint | undefined) => !b || a.epoch > b.epoch || (a.epoch === b.epoch && a.batch > b.batch);

/**
 * The dashboard's state: the run history, the run in focus (the one training, else the newest)
 * with its whole curve so far (restored from the server, then extended by live events), and the
 * runs ticked for comparison.
 */
export class TrainingDashboard {
  runs = $state.raw<RunSummary[]>([]);
  focusId = $state<string | null>(null);
  compareIds = $state.raw<string[]>([]);
  curves = $state.raw<Record<string, RunCurves>>({});
  details = $state.raw<Record<string, RunDetail>>({});
  error = $state.raw<UserMessage | null>(null);
  /** Each run's last export check, shown beside its export buttons. */
  exportChecks = $state.raw<Record<string, ExportCheck>>({});
  /** The history lists only the runs whose setting contains the text (all, when it is empty). */
  historyFilter = $state<{ setting: string; text: string }>({ setting: 'learningRate', text: '' });
  readonly shownRuns = $derived(runsWithSetting(this.runs, this.historyFilter.setting, this.historyFilter.text));
  /** An ensemble of the ticked runs is being made. */
  makingEnsemble = $state(false);
  /** Plot training error (1 − accuracy) against validation loss, as the seed's plot does. */
  errorMode = $state(false);
  logLoss = $state(false);
  /** Live points that arrived while a run's history was still loading (bookkeeping: nothing is drawn from it). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly pending = new Map<string, { batches: BatchPoint[]; epochs: LabEvents['train:epoch'][] }>();

  readonly focus = $derived(this.runs.find((r) => r.id === this.focusId) ?? null);

  constructor(
    private readonly client: LabClient,
    readonly training: TrainingEvents,
  ) {}

  /** Loads the history and follows the events; returns the unsubscribe function. */
  start(): () => void {
    const offs = [
      this.client.on('runs:changed', (runs) => this.setRuns(runs)),
      this.client.on('train:started', ({ runId }) => void this.show(runId)),
      this.client.on('train:batch', (b) =>
        this.addBatch(b.runId, { epoch: b.epoch, batch: b.batch, batchesPerEpoch: b.batchesPerEpoch, loss: b.loss, accuracy: b.accuracy }),
      ),
      this.client.on('train:epoch', (e) => this.addEpoch(e)),
      this.client.on('train:done', ({ runId }) => void this.load(runId)),
      this.client.on('train:error', ({ runId }) => void this.load(runId)),
    ];
    void this.reload();
    return () => offs.forEach((off) => off());
  }

  async reload(): Promise<void> {
    try {
      this.setRuns(await this.client.api.listRuns());
      const status = await this.client.api.getTrainingStatus();
      const id = status.state === 'running' ? status.runId : (this.focusId ?? this.runs[0]?.id ?? null);
      if (id) await this.show(id);
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private setRuns(runs: RunSummary[]): void {
    this.runs = runs;
    this.compareIds = this.compareIds.filter((id) => runs.some((r) => r.id === id));
  }

  /** Puts a run in focus and loads its whole curve. */
  async show(runId: string): Promise<void> {
    this.focusId = runId;
    await this.load(runId);
  }

  /** (Re)loads a run's detail and curves; live points that came meanwhile are kept. */
  async load(runId: string): Promise<void> {
    try {
      const detail = await this.client.api.getRun({ runId });
      const waiting = this.pending.get(runId);
      this.pending.delete(runId);
      const batches = [...detail.batches, ...(waiting?.batches ?? []).filter((b) => isAfter(b, detail.batches.at(-1)))];
      const epochs = [...detail.epochs, ...(waiting?.epochs ?? []).filter((e) => e.epoch > (detail.epochs.at(-1)?.epoch ?? 0))];
      this.details = { ...this.details, [runId]: detail };
      this.curves = { ...this.curves, [runId]: { batches, epochs } };
      if (!this.runs.some((r) => r.id === runId)) this.setRuns(await this.client.api.listRuns());
    } catch (error) {
      this.error = describeError(error);
    }
  }

  /** Where live points for a run whose history is still loading wait. */
  private waiting(runId: string) {
    let waiting = this.pending.get(runId);
    if (!waiting) this.pending.set(runId, (waiting = { batches: [], epochs: [] }));
    return waiting;
  }

  private addBatch(runId: string, point: BatchPoint): void {
    const curve = this.curves[runId];
    if (!curve) {
      this.waiting(runId).batches.push(point);
      return;
    }
    if (!isAfter(point, curve.batches.at(-1))) return;
    curve.batches.push(point);
    this.curves = { ...this.curves, [runId]: { batches: curve.batches, epochs: curve.epochs } };
  }

  private addEpoch(epoch: LabEvents['train:epoch']): void {
    const curve = this.curves[epoch.runId];
    if (!curve) {
      this.waiting(epoch.runId).epochs.push(epoch);
      return;
    }
    if (epoch.epoch <= (curve.epochs.at(-1)?.epoch ?? 0)) return;
    this.curves = { ...this.curves, [epoch.runId]: { batches: curve.batches, epochs: [...curve.epochs, epoch] } };
  }

  /** Ticks or unticks a run for the comparison overlay, loading its curves. */
  async toggleCompare(runId: string): Promise<void> {
    this.compareIds = this.compareIds.includes(runId) ? this.compareIds.filter((id) => id !== runId) : [...this.compareIds, runId];
    if (!this.curves[runId]) await this.load(runId);
  }

  /** Makes an ensemble of the ticked runs and puts it in focus; the server says why when they cannot be one. */
  async makeEnsemble(): Promise<void> {
    this.makingEnsemble = true;
    try {
      const run = await this.client.api.createEnsemble({ runIds: this.compareIds, name: null });
      this.compareIds = [];
      this.error = null;
      await this.show(run.id);
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.makingEnsemble = false;
    }
  }

  async rename(runId: string, name: string): Promise<void> {
    await this.client.api.renameRun({ runId, name }).catch((error: unknown) => (this.error = describeError(error)));
  }

  async remove(runId: string): Promise<void> {
    await this.client.api.deleteRun({ runId }).catch((error: unknown) => (this.error = describeError(error)));
    if (this.focusId === runId) this.focusId = null;
  }

  /** The run's best checkpoint as a file for other tools, once read back and checked (on the test digits and the user's last sketches); null (the reason in `exportChecks`) when refused. */
  async exportModel(runId: string, format: ModelExportFormat): Promise<ModelFile | null> {
    try {
      const sketches = recentSketches.packed();
      const file = await this.client.api.exportModel({ runId, format, ...(sketches.length > 0 ? { sketches } : {}) });
      this.exportChecks = { ...this.exportChecks, [runId]: { format, parity: file.parity } };
      return file;
    } catch (error) {
      this.exportChecks = { ...this.exportChecks, [runId]: { format, refused: describeError(error) } };
      return null;
    }
  }

  async stop(): Promise<void> {
    await this.client.api.stopTraining().catch((error: unknown) => (this.error = describeError(error)));
    await this.training.refresh();
  }
}

export const [getDashboard, setDashboard] = createContext<TrainingDashboard>();
