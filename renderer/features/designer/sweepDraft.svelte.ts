import type { LabApi } from '../../../shared/api';
import type { RunSpec } from '../../../shared/apiTypes';
import { toKerasTunerScript } from '../../../shared/sweeps/kerasTunerScript';
import { planSweep, type SweepSpec } from '../../../shared/sweeps/sweepPlan';
import type { SweepSettingName } from '../../../shared/sweeps/sweepSettings';
import { parseSweepValues } from '../../../shared/sweeps/sweepValues';
import { describeError, type UserMessage } from '../../lib/i18n/userMessage';

/** The designer's "Sweep…" dialog: grid axes over the design, a budget, the plan checked as it is typed. */
export class SweepDraft {
  name = $state('');
  axes = $state<{ setting: SweepSettingName; values: string }[]>([{ setting: 'learningRate', values: '0.001, 0.0003' }]);
  maxRuns = $state(20);
  error = $state.raw<UserMessage | null>(null);
  starting = $state(false);

  readonly spec = $derived.by((): SweepSpec => ({
    name: this.name.trim() || 'sweep',
    base: this.base(),
    grid: this.axes.map((axis) => ({ setting: axis.setting, values: parseSweepValues(axis.values) })),
    random: null,
    maxRuns: this.maxRuns,
    maxMinutes: null,
  }));
  /** The runs it would train, or why it cannot start: what the lab itself checks before starting. */
  readonly plan = $derived.by(() => {
    const empty = this.spec.grid.find((axis) => axis.values.length === 0);
    return empty ? { ok: false as const, problems: [`${empty.setting}: give at least one value`] } : planSweep(this.spec);
  });
  readonly script = $derived(toKerasTunerScript(this.spec));

  constructor(
    private readonly api: LabApi,
    private readonly base: () => RunSpec,
    designName: string,
  ) {
    this.name = `${designName} sweep`;
  }

  addAxis(): void {
    const used = this.axes.map((a) => a.setting);
    const next = (['batchSize', 'epochs', 'dropout', 'units', 'filters', 'optimizer'] as const).find((name) => !used.includes(name)) ?? 'epochs';
    this.axes = [...this.axes, { setting: next, values: '' }];
  }

  removeAxis(index: number): void {
    this.axes = this.axes.filter((_, i) => i !== index);
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
