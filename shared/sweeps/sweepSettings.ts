import type { RunSpec } from '../apiTypes';
import type { LayerSpec } from '../layers/layerSpec';
import { sweepProblem, type SweepProblem } from './sweepProblems';

/** A setting a sweep can vary: what it means, the values it takes, and how it changes a run's spec. */
export interface SweepSetting {
  /** What it changes, for messages and the KerasTuner script. */
  description: string;
  kind: 'number' | 'integer' | 'choice';
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** The layers it changes (layer settings); none for training settings. */
  layerType?: LayerSpec['type'];
  /** `spec` with this setting at `value` (already checked against the range). */
  apply: (spec: RunSpec, value: number | string) => RunSpec;
  /** What `spec` has for it: a number, a word, "0.25/0.5" when its layers differ, null when it has none. */
  read: (spec: RunSpec) => number | string | null;
}

/** Every layer of `type` in the stack but the output, changed by `change`. */
function everyLayer<T extends LayerSpec['type']>(type: T, change: (layer: Extract<LayerSpec, { type: T }>) => LayerSpec) {
  return (spec: RunSpec): RunSpec => ({
    ...spec,
    layers: spec.layers.map((layer, i) => (layer.type === type && i < spec.layers.length - 1 ? change(layer as Extract<LayerSpec, { type: T }>) : layer)),
  });
}

/** A layer setting as a run has it: one value, or each distinct one joined by "/" (the seed CNN's two dropouts). */
function readLayers<T extends LayerSpec['type']>(type: T, field: (layer: Extract<LayerSpec, { type: T }>) => number) {
  return (spec: RunSpec): number | string | null => {
    const values = [...new Set(spec.layers.slice(0, -1).flatMap((l) => (l.type === type ? [field(l as Extract<LayerSpec, { type: T }>)] : [])))];
    return values.length === 0 ? null : values.length === 1 ? values[0]! : values.join('/');
  };
}

const settings = (spec: RunSpec, change: Partial<RunSpec['settings']>): RunSpec => ({ ...spec, settings: { ...spec.settings, ...change } });

/** The augmentation with one of its two numbers changed; none at all when both are 0. */
function augmentation(spec: RunSpec, change: { maxShift?: number; maxRotationDegrees?: number }): RunSpec {
  const next = { maxShift: 0, maxRotationDegrees: 0, ...spec.settings.augmentation, ...change };
  return settings(spec, { augmentation: next.maxShift === 0 && next.maxRotationDegrees === 0 ? null : next });
}

/**
 * The settings a sweep varies, by the names the CLI and the app use. A layer setting changes
 * every hidden layer of its kind (`dropout` every Dropout's rate, `units` every hidden Dense).
 */
export const sweepSettings = {
  learningRate: {
    read: (spec) => spec.settings.optimizer.learningRate,
    description: "the optimiser's learning rate",
    kind: 'number',
    min: 1e-6,
    max: 1,
    apply: (spec, value) => settings(spec, { optimizer: { ...spec.settings.optimizer, learningRate: value as number } }),
  },
  batchSize: {
    read: (spec) => spec.settings.batchSize,
    description: 'images per training step',
    kind: 'integer',
    min: 1,
    max: 4096,
    apply: (spec, value) => settings(spec, { batchSize: value as number }),
  },
  epochs: {
    description: 'epochs at most',
    kind: 'integer',
    min: 1,
    max: 1000,
    read: (spec) => spec.settings.epochs,
    apply: (spec, value) => settings(spec, { epochs: value as number }),
  },
  optimizer: {
    read: (spec) => spec.settings.optimizer.type,
    description: 'the optimiser',
    kind: 'choice',
    choices: ['adam', 'sgd', 'rmsprop'],
    apply: (spec, value) => {
      const learningRate = spec.settings.optimizer.learningRate;
      const optimizer = value === 'sgd' ? { type: 'sgd' as const, learningRate, momentum: 0.9 } : { type: value as 'adam' | 'rmsprop', learningRate };
      return settings(spec, { optimizer });
    },
  },
  shift: {
    read: (spec) => spec.settings.augmentation?.maxShift ?? 0,
    description: "augmentation's largest shift in pixels",
    kind: 'integer',
    min: 0,
    max: 6,
    apply: (spec, value) => augmentation(spec, { maxShift: value as number }),
  },
  rotation: {
    read: (spec) => spec.settings.augmentation?.maxRotationDegrees ?? 0,
    description: "augmentation's largest rotation in degrees",
    kind: 'number',
    min: 0,
    max: 45,
    apply: (spec, value) => augmentation(spec, { maxRotationDegrees: value as number }),
  },
  dropout: {
    read: readLayers('dropout', (l) => l.rate),
    description: "every Dropout layer's rate",
    kind: 'number',
    min: 0,
    max: 0.95,
    layerType: 'dropout',
    apply: (spec, value) => everyLayer('dropout', (layer) => ({ ...layer, rate: value as number }))(spec),
  },
  filters: {
    read: readLayers('conv2d', (l) => l.filters),
    description: "every convolution's filters",
    kind: 'integer',
    min: 1,
    max: 1024,
    layerType: 'conv2d',
    apply: (spec, value) => everyLayer('conv2d', (layer) => ({ ...layer, filters: value as number }))(spec),
  },
  kernelSize: {
    read: readLayers('conv2d', (l) => l.kernelSize),
    description: "every convolution's kernel size",
    kind: 'integer',
    min: 1,
    max: 7,
    layerType: 'conv2d',
    apply: (spec, value) => everyLayer('conv2d', (layer) => ({ ...layer, kernelSize: value as number }))(spec),
  },
  units: {
    read: readLayers('dense', (l) => l.units),
    description: "every hidden Dense layer's units",
    kind: 'integer',
    min: 1,
    max: 8192,
    layerType: 'dense',
    apply: (spec, value) => everyLayer('dense', (layer) => ({ ...layer, units: value as number }))(spec),
  },
} satisfies Record<string, SweepSetting>;

export type SweepSettingName = keyof typeof sweepSettings;
export const sweepSettingNames = Object.keys(sweepSettings) as SweepSettingName[];

/** Why `value` is not one `name` takes, or null. */
export function valueProblem(name: SweepSettingName, value: number | string): SweepProblem | null {
  const setting: SweepSetting = sweepSettings[name];
  if (setting.kind === 'choice')
    return setting.choices!.includes(String(value)) ? null : sweepProblem('notChoice', { setting: name, choices: setting.choices!.join(', '), value });
  if (typeof value !== 'number' || !Number.isFinite(value)) return sweepProblem('notNumber', { setting: name, value });
  if (setting.kind === 'integer' && !Number.isInteger(value)) return sweepProblem('notWhole', { setting: name, value });
  if (value < setting.min! || value > setting.max!) return sweepProblem('outside', { setting: name, value, min: setting.min!, max: setting.max! });
  return null;
}

/** Every sweepable setting a run's spec has, by name, for the history's filters and a sweep's table. */
export function specSettings(spec: RunSpec): Record<string, number | string> {
  const found: Record<string, number | string> = {};
  for (const name of sweepSettingNames) {
    const value = (sweepSettings[name] as SweepSetting).read(spec);
    if (value !== null) found[name] = value;
  }
  return found;
}
