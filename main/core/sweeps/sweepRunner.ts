import { ApiError } from '../../../shared/apiError';
import { apiFailure } from '../../../shared/apiErrorReasons';
import * as v from 'valibot';
import { planSweep, SweepSpecSchema, trialSpec, type SweepSpec } from '../../../shared/sweeps/sweepPlan';
import { describeIssues } from '../../../shared/wire/validation';
import type { SweepList, SweepSummary, SweepTrial } from '../../../shared/sweeps/sweepSummary';
import type { RunStore } from '../runs/runStore';
import type { TrainingController } from '../trainingController';
import type { SweepStore } from './sweepStore';

/** A trial's run, as the queue records it when the run ends. */
const endedAs = (status: string) => (status === 'completed' || status === 'stopped' ? 'done' : 'failed');

/**
 * Trains sweeps' runs one after another through the one training controller (a run the user
 * starts meanwhile goes first; the sweep waits for it), each with its own checkpoint and early
 * stopping. Every change of a queue is saved before the next step, so after a crash or a kill
 * `resume` finds the run that was training interrupted, queues it again, and goes on with the
 * runs not yet trained. Pausing lets the run in training finish and starts no other.
 */
export class SweepRunner {
  private looping: Promise<void> | null = null;
  /** Sweeps this process trains: those it made, and after `resume` every one on disk (the CLI trains only its own). */
  private readonly mine = new Set<string>();
  private everyone = false;
  /** Serialises changes to queue files (the loop's and the user's). */
  private changes = Promise.resolve();

  constructor(
    private readonly store: SweepStore,
    private readonly runs: RunStore,
    private readonly training: TrainingController,
    /** Tells every window the sweeps changed. */
    private readonly changed: (list: SweepList) => void,
  ) {}

  /** Checks the spec, refusing it with every reason before anything starts, then queues its runs and starts training them. */
  async create(request: SweepSpec): Promise<SweepSummary> {
    // The transports check requests; the CLI calls in-process, so the spec is checked here too.
    const parsed = v.safeParse(SweepSpecSchema, request);
    if (!parsed.success) throw apiFailure('invalid-request', 'sweep.invalid', { problems: describeIssues(parsed.issues) });
    const spec = parsed.output;
    const plan = planSweep(spec);
    if (!plan.ok) throw apiFailure('invalid-request', 'sweep.invalid', { problems: plan.problems.map((p) => p.message).join('; ') });
    const sweep = await this.store.create(spec, plan.trials);
    this.mine.add(sweep.id);
    await this.announce();
    this.kick();
    return sweep;
  }

  list(): Promise<SweepList> {
    return this.store.list();
  }

  /** After a start: runs left "training" by a process that is gone are queued again, and every sweep on disk goes on. */
  resume(): void {
    this.everyone = true;
    this.kick(() => this.requeueStale());
  }

  private async requeueStale(): Promise<void> {
    for (const sweep of (await this.store.list()).sweeps) {
      const stale = (t: SweepTrial) => t.status === 'training' && (!t.runId || !this.training.isTraining(t.runId));
      if (!sweep.trials.some(stale)) continue;
      await this.change(sweep.id, (s) => ({ ...s, trials: s.trials.map((t) => (stale(t) ? { ...t, status: 'pending' as const, runId: null } : t)) }));
    }
  }

  pause(sweepId: string): Promise<SweepSummary> {
    return this.change(sweepId, (s) => (s.state === 'done' ? s : { ...s, state: 'paused' }));
  }

  async unpause(sweepId: string): Promise<SweepSummary> {
    const sweep = await this.change(sweepId, (s) => (s.state === 'paused' ? { ...s, state: 'queued' } : s));
    this.kick();
    return sweep;
  }

  /** Drops every run not yet started; those trained keep their results. */
  cut(sweepId: string): Promise<SweepSummary> {
    return this.change(sweepId, (s) => ({ ...s, trials: s.trials.filter((t) => t.status !== 'pending') }));
  }

  /** Moves a waiting run to another place in the queue. */
  move(sweepId: string, from: number, to: number): Promise<SweepSummary> {
    return this.change(sweepId, (s) => {
      const trial = s.trials[from];
      if (trial?.status !== 'pending' || s.trials[to]?.status !== 'pending') throw apiFailure('invalid-request', 'sweep.notPending', { position: from + 1 });
      const trials = [...s.trials];
      trials.splice(from, 1);
      trials.splice(to, 0, trial);
      return { ...s, trials };
    });
  }

  /** Resolves when no sweep has a run left to start (for the CLI and tests). */
  async whenDone(): Promise<void> {
    while (this.looping) await this.looping;
  }

  /** Starts the loop unless it runs; `before` runs first (resume's clean-up). */
  private kick(before: () => Promise<void> = async () => undefined): void {
    this.looping ??= before()
      .then(() => this.loop())
      // A queue that cannot be read or written stops the loop, never the process; the next change or start goes on.
      .catch(() => undefined)
      .finally(() => (this.looping = null));
  }

  private async loop(): Promise<void> {
    for (;;) {
      const next = await this.nextTrial();
      if (!next) return;
      await this.train(next.sweep, next.index);
    }
  }

  /** The first waiting run of the oldest sweep that is not paused; a sweep past its time budget skips the rest. */
  private async nextTrial(): Promise<{ sweep: SweepSummary; index: number } | null> {
    for (const listed of (await this.store.list()).sweeps) {
      if (listed.state === 'paused' || listed.state === 'done' || !(this.everyone || this.mine.has(listed.id))) continue;
      const outOfTime =
        listed.startedAt !== null && listed.spec.maxMinutes !== null && Date.now() - Date.parse(listed.startedAt) > listed.spec.maxMinutes * 60_000;
      const sweep = await this.change(listed.id, (s) => {
        const trials = outOfTime ? s.trials.map((t) => (t.status === 'pending' ? { ...t, status: 'skipped' as const } : t)) : s.trials;
        const finished = !trials.some((t) => t.status === 'pending' || t.status === 'training');
        return trials === s.trials && !finished ? s : { ...s, trials, state: finished ? 'done' : s.state };
      });
      const index = sweep.trials.findIndex((t) => t.status === 'pending');
      if (index >= 0 && sweep.state !== 'paused') return { sweep, index };
    }
    return null;
  }

  private async train(sweep: SweepSummary, index: number): Promise<void> {
    await this.training.whenIdle();
    let runId: string;
    try {
      ({ runId } = await this.training.start(trialSpec(sweep.spec, sweep.trials[index]!.settings)));
    } catch (error) {
      // Someone else's run got the trainer first: wait for it, then try again.
      if (error instanceof ApiError && error.reason?.key === 'training.busy') return;
      await this.setTrial(sweep.id, index, { status: 'failed', runId: null });
      return;
    }
    await this.change(sweep.id, (s) => ({ ...s, state: s.state === 'paused' ? 'paused' : 'running', startedAt: s.startedAt ?? new Date().toISOString() }));
    await this.setTrial(sweep.id, index, { status: 'training', runId });
    await this.training.whenIdle();
    const summary = await this.runs.summary(runId).catch(() => null);
    await this.setTrial(sweep.id, index, { status: endedAs(summary?.status ?? 'failed'), runId });
  }

  /** Sets a trial's status, finding it by its run (the user may have moved others meanwhile) or its place. */
  private setTrial(sweepId: string, index: number, trial: { status: 'training' | 'done' | 'failed'; runId: string | null }): Promise<SweepSummary> {
    return this.change(sweepId, (s) => {
      const at = trial.runId ? s.trials.findIndex((t) => t.runId === trial.runId) : -1;
      const position = at >= 0 ? at : index;
      return { ...s, trials: s.trials.map((t, i) => (i === position ? { ...t, ...trial } : t)) };
    });
  }

  /** Saves what `update` makes of a sweep and tells every window; an update that returns the sweep itself writes nothing. */
  private change(sweepId: string, update: (sweep: SweepSummary) => SweepSummary): Promise<SweepSummary> {
    let changed = false;
    const next = this.changes.then(async () => {
      const current = await this.store.get(sweepId);
      const sweep = update(current);
      changed = sweep !== current;
      if (changed) await this.store.save(sweep);
      return sweep;
    });
    this.changes = next.then(
      () => (changed ? this.announce() : undefined),
      () => undefined,
    );
    return next;
  }

  private async announce(): Promise<void> {
    this.changed(await this.store.list());
  }
}
