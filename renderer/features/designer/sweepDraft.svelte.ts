import type { LabApi } from '../../../shared/api';
import type { RunSpec } from '../../../shared/apiTypes';
import { toKerasTunerScript } from '../../../shared/sweeps/kerasTunerScript';
import { sweepProblem } from '../../../shared/sweeps/sweepProblems';
import { maxSweepMinutes, maxSweepRuns, planSweep, type RandomAxis, type SweepPlan, type SweepSpec } from '../../../shared/sweeps/sweepPlan';
import { sweepSettings, type SweepSettingName } from '../../../shared/sweeps/sweepSettings';
import { parseSweepValues } from '../../../shared/sweeps/sweepValues';
import { sweepMessage } from '../../lib/i18n/sweepMessage';
import { describeError, type UserMessage } from '../../lib/i18n/userMessage';

/** One setting the dialog varies: every value typed (a grid axis), or values drawn at random from a range or a list. */
export interface DraftAxis {
  setting: SweepSettingName;
  mode: 'grid' | 'random';
  /** The grid's values, or a random axis's choices (for a setting such as the optimiser, which has no range). */
  values: string;
  min: string;
  max: string;
  log: boolean;
}

const isChoice = (name: SweepSettingName) => sweepSettings[name].kind === 'choice';
/** A number as typed; empty is none, so the plan can say the range is missing. */
const typedNumber = (text: string) => (text.trim() === '' ? undefined : Number(text));

function randomAxis(axis: DraftAxis): RandomAxis {
  if (isChoice(axis.setting)) return { setting: axis.setting, choices: parseSweepValues(axis.values), log: false };
  return { setting: axis.setting, min: typedNumber(axis.min), max: typedNumber(axis.max), log: axis.log };
}

/** The designer's "Sweep…" dialog: grid and random axes over the design, a budget, the plan checked as it is typed. */
export class SweepDraft {
  name = $state('');
  axes = $state<DraftAxis[]>([{ setting: 'learningRate', mode: 'grid', values: '0.001, 0.0003', min: '', max: '', log: false }]);
  /** How many random draws, each combined with every grid point (when some axis is random). */
  draws = $state(8);
  maxRuns = $state(20);
  /** Minutes after which no run starts, as typed; empty: no limit. */
  maxMinutes = $state('');
  error = $state.raw<UserMessage | null>(null);
  starting = $state(false);

  readonly hasRandom = $derived(this.axes.some((axis) => axis.mode === 'random'));
  readonly spec = $derived.by((): SweepSpec => {
    const random = this.axes.filter((axis) => axis.mode === 'random');
    return {
      name: this.name.trim() || 'sweep',
      base: this.base(),
      grid: this.axes.filter((axis) => axis.mode === 'grid').map((axis) => ({ setting: axis.setting, values: parseSweepValues(axis.values) })),
      random: random.length > 0 ? { count: this.draws, axes: random.map(randomAxis), seed: 1 } : null,
      maxRuns: this.maxRuns,
      maxMinutes: typedNumber(this.maxMinutes) ?? null,
    };
  });
  /** The runs it would train, or why it cannot start: what the lab itself checks before starting. */
  readonly plan = $derived<SweepPlan>(this.budgetProblem() ?? planSweep(this.spec));
  readonly problems = $derived(this.plan.ok ? [] : this.plan.problems.map((problem) => sweepMessage(problem.reason)));
  readonly script = $derived(toKerasTunerScript(this.spec));

  constructor(
    private readonly api: LabApi,
    private readonly base: () => RunSpec,
    designName: string,
  ) {
    this.name = `${designName} sweep`;
  }

  /** Whether an axis takes a range (min, max, log) rather than a list of values. */
  takesRange(axis: DraftAxis): boolean {
    return axis.mode === 'random' && !isChoice(axis.setting);
  }

  addAxis(): void {
    const used = this.axes.map((a) => a.setting);
    const next = (['batchSize', 'epochs', 'dropout', 'units', 'filters', 'optimizer'] as const).find((name) => !used.includes(name)) ?? 'epochs';
    this.axes = [...this.axes, { setting: next, mode: 'grid', values: '', min: '', max: '', log: false }];
  }

  removeAxis(index: number): void {
    this.axes = this.axes.filter((_, i) => i !== index);
  }

  /** The budget and draw fields as typed (an emptied number field reads null), before the plan, which assumes them sound. */
  private budgetProblem(): SweepPlan | null {
    const whole = (n: number | null) => n !== null && Number.isInteger(n) && n >= 1 && n <= maxSweepRuns;
    const minutes = typedNumber(this.maxMinutes);
    const problems = [
      ...(whole(this.maxRuns) ? [] : [sweepProblem('maxRunsField', { max: maxSweepRuns })]),
      ...(!this.hasRandom || whole(this.draws) ? [] : [sweepProblem('drawsField', { max: maxSweepRuns })]),
      ...(minutes === undefined || (minutes > 0 && minutes <= maxSweepMinutes) ? [] : [sweepProblem('maxMinutesField', { max: maxSweepMinutes })]),
    ];
    return problems.length > 0 ? { ok: false, problems } : null;
  }

  /** Queues the sweep; resolves true once it is on its way (the reason is in `error` otherwise). */
  async start(): Promise<boolean> {
    this.starting = true;
    try {
      await this.api.startSweep(this.spec);
      return true;
    } catch (error) {
      this.error = describeError(error);
      return false;
    } finally {
      this.starting = false;
    }
  }
}
