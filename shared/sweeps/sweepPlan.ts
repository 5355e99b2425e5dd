import * as v from 'valibot';
import { RunSpecSchema, type RunSpec } from '../apiTypes';
import { layerTypeNames } from '../layers/layerNames';
import { analyzeStack } from '../layers/inferShapes';
import { seededRandom } from '../training/seededRandom';
import { sweepProblem, type SweepProblem } from './sweepProblems';
import { sweepSettingNames, sweepSettings, valueProblem, type SweepSetting, type SweepSettingName } from './sweepSettings';

/** A sweep has at most this many runs, whatever its budget says. */
export const maxSweepRuns = 500;
/** A sweep's time budget is at most thirty days. */
export const maxSweepMinutes = 60 * 24 * 30;

const SettingNameSchema = v.picklist(sweepSettingNames, `a sweep varies one of ${sweepSettingNames.join(', ')}`);
const ValueSchema = v.union([v.pipe(v.number(), v.finite()), v.pipe(v.string(), v.maxLength(40))]);

/** A grid axis: every value of one setting, each combined with every value of the other axes. */
export const GridAxisSchema = v.strictObject({
  setting: SettingNameSchema,
  values: v.pipe(v.array(ValueSchema), v.minLength(1, 'a grid axis needs at least one value'), v.maxLength(100)),
});

/** A random axis: values drawn from a range (uniformly, or uniformly in its logarithm) or from a list. */
export const RandomAxisSchema = v.strictObject({
  setting: SettingNameSchema,
  min: v.optional(v.pipe(v.number(), v.finite())),
  max: v.optional(v.pipe(v.number(), v.finite())),
  log: v.optional(v.boolean(), false),
  choices: v.optional(v.pipe(v.array(ValueSchema), v.minLength(1), v.maxLength(100))),
});

export const SweepSpecSchema = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
  /** The design and settings every run starts from. */
  base: RunSpecSchema,
  grid: v.pipe(v.array(GridAxisSchema), v.maxLength(10)),
  /** `count` random draws of the random axes, each combined with every grid point. */
  random: v.nullable(
    v.strictObject({
      count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(maxSweepRuns)),
      axes: v.pipe(v.array(RandomAxisSchema), v.maxLength(10)),
      seed: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 31 - 1)),
    }),
  ),
  /** At most this many runs: a sweep that would make more is refused before it starts. */
  maxRuns: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(maxSweepRuns)),
  /** No run starts after this many minutes from the sweep's start; null: no limit. */
  maxMinutes: v.nullable(v.pipe(v.number(), v.gtValue(0), v.maxValue(maxSweepMinutes))),
});
export type SweepSpec = v.InferOutput<typeof SweepSpecSchema>;
export type RandomAxis = v.InferOutput<typeof RandomAxisSchema>;

/** One run of a sweep: its settings, in the order of the axes. */
export type Trial = Partial<Record<SweepSettingName, number | string>>;

export type SweepPlan = { ok: true; trials: Trial[]; specs: RunSpec[] } | { ok: false; problems: SweepProblem[] };

/** Why a random axis cannot be drawn from, or null. */
function randomAxisProblem(axis: RandomAxis): SweepProblem | null {
  const setting: SweepSetting = sweepSettings[axis.setting];
  const name = axis.setting;
  if (axis.choices) return axis.choices.map((value) => valueProblem(name, value)).find((p) => p !== null) ?? null;
  if (setting.kind === 'choice') return sweepProblem('choiceNotRange', { setting: name });
  if (axis.min === undefined || axis.max === undefined) return sweepProblem('needsRange', { setting: name });
  if (axis.min > axis.max) return sweepProblem('minAboveMax', { setting: name, min: axis.min, max: axis.max });
  if (axis.log && axis.min <= 0) return sweepProblem('logRange', { setting: name });
  return valueProblem(name, axis.min) ?? valueProblem(name, axis.max);
}

function draw(axis: RandomAxis, random: () => number): number | string {
  if (axis.choices) return axis.choices[Math.floor(random() * axis.choices.length)]!;
  const { min, max } = axis as { min: number; max: number };
  const value = axis.log ? Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min))) : min + random() * (max - min);
  return sweepSettings[axis.setting].kind === 'integer' ? Math.round(value) : Number(value.toPrecision(4));
}

/** A run's name in the history: the sweep's and what this run sets, e.g. "lr sweep: learningRate=0.001, batchSize=100". */
export function trialName(sweepName: string, trial: Trial): string {
  const settings = Object.entries(trial)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  return `${sweepName}: ${settings || 'base'}`.slice(0, 120);
}

/** The base spec with a trial's settings applied, named after it. */
export function trialSpec(spec: SweepSpec, trial: Trial): RunSpec {
  let run: RunSpec = { ...spec.base, name: trialName(spec.name, trial) };
  for (const [name, value] of Object.entries(trial) as [SweepSettingName, number | string][]) run = sweepSettings[name].apply(run, value);
  return run;
}

/**
 * Every run a sweep would train, or every reason it cannot start: a value out of its setting's
 * range, a setting the design has no layer for, a repeated axis, more runs than the budget (counted
 * before any is listed, so a grid of a million combinations costs nothing), or a run whose spec
 * does not build.
 */
export function planSweep(spec: SweepSpec): SweepPlan {
  const problems: (SweepProblem | null)[] = [];
  const axes = [...spec.grid.map((a) => a.setting), ...(spec.random?.axes.map((a) => a.setting) ?? [])];
  const repeated = axes.find((name, i) => axes.indexOf(name) !== i);
  if (repeated) problems.push(sweepProblem('repeated', { setting: repeated }));
  for (const axis of spec.grid) {
    if (axis.values.length === 0) problems.push(sweepProblem('noValues', { setting: axis.setting }));
    for (const value of axis.values) problems.push(valueProblem(axis.setting, value));
  }
  for (const axis of spec.random?.axes ?? []) problems.push(randomAxisProblem(axis));
  for (const name of axes) {
    const layerType = (sweepSettings[name] as SweepSetting).layerType;
    if (layerType && !spec.base.layers.slice(0, -1).some((l) => l.type === layerType))
      problems.push(sweepProblem('noLayer', { setting: name, layer: layerTypeNames[layerType] }));
  }
  if (spec.random && spec.random.axes.length === 0) problems.push(sweepProblem('noRandomAxis'));
  const gridPoints = spec.grid.reduce((n, axis) => n * axis.values.length, 1);
  const count = gridPoints * (spec.random?.count ?? 1);
  if (count > spec.maxRuns) problems.push(sweepProblem('overBudget', { count: count.toLocaleString('en-US'), max: spec.maxRuns }));
  const found = problems.filter((p): p is SweepProblem => p !== null);
  if (found.length > 0) return { ok: false, problems: found.filter((p, i) => found.findIndex((q) => q.message === p.message) === i) };

  let trials: Trial[] = [{}];
  for (const axis of spec.grid) trials = trials.flatMap((trial) => axis.values.map((value) => ({ ...trial, [axis.setting]: value })));
  if (spec.random) {
    const random = seededRandom(spec.random.seed);
    const draws = Array.from(
      { length: spec.random.count },
      () => Object.fromEntries(spec.random!.axes.map((axis) => [axis.setting, draw(axis, random)])) as Trial,
    );
    trials = trials.flatMap((trial) => draws.map((drawn) => ({ ...trial, ...drawn })));
  }
  const specs = trials.map((trial) => trialSpec(spec, trial));
  const unbuilt = specs.flatMap((run, i) => {
    const parsed = v.safeParse(RunSpecSchema, run);
    const where = { position: i + 1, name: run.name };
    if (!parsed.success) return [sweepProblem('invalidRun', { ...where, detail: parsed.issues[0]!.message })];
    const analysis = analyzeStack(run.layers);
    // The first reason is enough to say which value breaks the design; the designer lists them all for the base.
    return analysis.ok ? [] : [sweepProblem('unbuilt', { ...where, detail: analysis.problems[0]!.reason })];
  });
  return unbuilt.length > 0 ? { ok: false, problems: unbuilt.slice(0, 10) } : { ok: true, trials, specs };
}
