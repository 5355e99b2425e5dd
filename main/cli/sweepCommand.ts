import type { RunSummary } from '../../shared/apiTypes';
import { presets } from '../../shared/layers/presets';
import { toKerasTunerScript } from '../../shared/sweeps/kerasTunerScript';
import { maxSweepRuns, type RandomAxis, type SweepSpec } from '../../shared/sweeps/sweepPlan';
import { sweepSettingNames, type SweepSettingName } from '../../shared/sweeps/sweepSettings';
import { parseSweepValues } from '../../shared/sweeps/sweepValues';
import type { SweepSummary, SweepTrial } from '../../shared/sweeps/sweepSummary';
import { cliLabService } from './cliLabService';
import { nonNegativeInt, parseCommandArgs, positiveInt, stringOption, UsageError, type OptionTable, type ParsedOptions } from './cliArgs';
import { specFromOptions, trainOptions } from './trainOptions';

export const sweepUsage =
  `usage: npm run sweep -- --preset ${presets.map((p) => p.id).join('|')} --grid NAME=V,V… [--grid …] [--random N --range NAME=MIN:MAX[:log] …] ` +
  '[--max-runs N] [--max-minutes M] [--limit N] [--test-limit N] [--epochs N] [--data-dir D] [--json] [--keras-tuner]';

export const sweepOptions: OptionTable = {
  ...trainOptions,
  name: { type: 'string', value: 'NAME', help: "the sweep's name; each run is named after it and its settings" },
  grid: {
    type: 'string',
    multiple: true,
    value: 'NAME=V,V…',
    help: `every value of a setting (${sweepSettingNames.join(', ')}), combined with every other axis`,
  },
  random: { type: 'string', value: 'N', help: 'N random draws of the --range axes, each combined with every grid point' },
  range: {
    type: 'string',
    multiple: true,
    value: 'NAME=MIN:MAX[:log]|NAME=A,B…',
    help: 'a random axis: a range (log: uniform in its logarithm) or a list to pick from',
  },
  'random-seed': { type: 'string', value: 'N', default: '1', help: 'seeds the random draws, so the same command draws the same runs' },
  'max-runs': { type: 'string', value: 'N', default: '100', help: `refuse a sweep of more runs than this (at most ${maxSweepRuns})` },
  'max-minutes': { type: 'string', value: 'M', help: 'start no run after this many minutes' },
  'keras-tuner': { type: 'boolean', default: false, help: 'print the sweep as a KerasTuner script (same search space and objective) and train nothing' },
};

/** `NAME=…` split, with the setting's name checked. */
function axisArgument(text: string, flag: string): { setting: SweepSettingName; value: string } {
  const [name, value] = [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)];
  if (!text.includes('=') || value === '') throw new UsageError(`${flag} ${text}: write NAME=VALUES, e.g. ${flag} learningRate=0.001,0.003`);
  if (!(sweepSettingNames as string[]).includes(name)) throw new UsageError(`${flag} ${text}: no setting ${name}; sweeps vary ${sweepSettingNames.join(', ')}`);
  return { setting: name as SweepSettingName, value };
}

const list = (options: ParsedOptions, name: string) => ((options[name] as string[] | undefined) ?? []).map(String);

function randomAxis(text: string): RandomAxis {
  const { setting, value } = axisArgument(text, '--range');
  const range = /^([^:,]+):([^:,]+)(:log)?$/.exec(value);
  if (!range) return { setting, choices: parseSweepValues(value), log: false };
  return { setting, min: Number(range[1]), max: Number(range[2]), log: range[3] !== undefined };
}

/** The sweep the command's options describe; the lab checks it again (ranges, budget) before anything starts. */
export function sweepFromOptions(options: ParsedOptions): SweepSpec {
  const base = specFromOptions(options);
  const grid = list(options, 'grid').map((text) => {
    const { setting, value } = axisArgument(text, '--grid');
    return { setting, values: parseSweepValues(value) };
  });
  const count = positiveInt(stringOption(options, 'random'), '--random');
  const ranges = list(options, 'range').map(randomAxis);
  if (count === undefined && ranges.length > 0) throw new UsageError('--range draws values for --random N runs: add --random');
  if (grid.length === 0 && count === undefined) throw new UsageError('name at least one --grid (or --random with --range): a sweep varies something');
  const maxMinutes = stringOption(options, 'max-minutes');
  if (maxMinutes !== undefined && !(Number(maxMinutes) > 0))
    throw new UsageError(`--max-minutes needs a number of minutes above 0, not ${JSON.stringify(maxMinutes)}`);
  return {
    name: stringOption(options, 'name') ?? `${base.presetId} sweep`,
    base,
    grid,
    random: count === undefined ? null : { count, axes: ranges, seed: nonNegativeInt(stringOption(options, 'random-seed'), '--random-seed')! },
    maxRuns: Math.min(maxSweepRuns, positiveInt(stringOption(options, 'max-runs'), '--max-runs')!),
    maxMinutes: maxMinutes === undefined ? null : Number(maxMinutes),
  };
}

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(2)} %`);
const settingsText = (trial: SweepTrial) =>
  Object.entries(trial.settings)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');

/** One ended run as the command prints it. */
function runLine(json: boolean, position: number, total: number, trial: SweepTrial, run: RunSummary | undefined): string {
  if (json) {
    return JSON.stringify({
      type: 'run',
      position,
      settings: trial.settings,
      status: trial.status,
      runId: trial.runId,
      bestValAccuracy: run?.bestValAccuracy ?? null,
      testAccuracy: run?.testAccuracy ?? null,
    });
  }
  const result =
    trial.status === 'done' ? `best val accuracy ${percent(run?.bestValAccuracy ?? null)}, test ${percent(run?.testAccuracy ?? null)}` : trial.status;
  return `run ${position}/${total} ${settingsText(trial)}: ${result}${trial.runId ? ` (${trial.runId})` : ''}`;
}

/** `sweep`: queues the runs of a grid and/or random sample, trains them one after another, prints a line per run and the best. */
export async function sweepCommand(args: string[]): Promise<number> {
  const options = parseCommandArgs(args, sweepOptions);
  const spec = sweepFromOptions(options);
  if (options['keras-tuner'] === true) {
    process.stdout.write(toKerasTunerScript(spec));
    return 0;
  }
  const json = options.json === true;
  const printed = new Set<number>();
  let sweepId: string | null = null;
  const runsById = new Map<string, RunSummary>();
  const print = (sweep: SweepSummary) =>
    sweep.trials.forEach((trial, i) => {
      if (printed.has(i) || (trial.status !== 'done' && trial.status !== 'failed' && trial.status !== 'skipped')) return;
      printed.add(i);
      process.stdout.write(`${runLine(json, i + 1, sweep.trials.length, trial, trial.runId ? runsById.get(trial.runId) : undefined)}\n`);
    });
  const service = cliLabService(stringOption(options, 'data-dir'), (name, payload) => {
    if (name === 'runs:changed') for (const run of payload as RunSummary[]) runsById.set(run.id, run);
    if (name === 'sweeps:changed') {
      const sweep = (payload as { sweeps: SweepSummary[] }).sweeps.find((s) => s.id === sweepId);
      if (sweep) print(sweep);
    }
  });
  const sweep = await service.startSweep(spec);
  sweepId = sweep.id;
  if (!json) process.stdout.write(`Sweep ${sweep.id}: ${sweep.trials.length} runs of ${spec.base.name}\n`);
  await service.whenSweepsDone();
  const final = (await service.listSweeps()).sweeps.find((s) => s.id === sweep.id)!;
  for (const run of await service.listRuns()) runsById.set(run.id, run);
  print(final);
  process.stdout.write(`${summaryLine(json, final, runsById)}\n`);
  return final.trials.every((t) => t.status === 'done') ? 0 : 1;
}

/** The sweep's best run: the highest best validation accuracy among its finished runs. */
export function bestTrial(sweep: SweepSummary, runs: Map<string, RunSummary>): { position: number; trial: SweepTrial; run: RunSummary } | null {
  let best: { position: number; trial: SweepTrial; run: RunSummary } | null = null;
  sweep.trials.forEach((trial, i) => {
    const run = trial.runId ? runs.get(trial.runId) : undefined;
    if (trial.status !== 'done' || run?.bestValAccuracy == null) return;
    if (!best || run.bestValAccuracy > best.run.bestValAccuracy!) best = { position: i + 1, trial, run };
  });
  return best;
}

function summaryLine(json: boolean, sweep: SweepSummary, runs: Map<string, RunSummary>): string {
  const best = bestTrial(sweep, runs);
  const done = sweep.trials.filter((t) => t.status === 'done').length;
  if (json) {
    const bestJson = best && {
      position: best.position,
      runId: best.run.id,
      settings: best.trial.settings,
      bestValAccuracy: best.run.bestValAccuracy,
      testAccuracy: best.run.testAccuracy,
    };
    return JSON.stringify({ type: 'summary', sweepId: sweep.id, runs: sweep.trials.length, done, best: bestJson });
  }
  if (!best) return `Sweep ${sweep.id}: no run finished`;
  return `Best of ${done}: run ${best.position} (${settingsText(best.trial)}), best val accuracy ${percent(best.run.bestValAccuracy)}, test ${percent(best.run.testAccuracy)}: run ${best.run.id}`;
}
