import * as v from 'valibot';
import { backendChoices, RunSpecSchema, type RunSpec } from '../../shared/apiTypes';
import { findPreset, presets } from '../../shared/layers/presets';
import { clip } from '../../shared/quote';
import { nonNegativeInt, parseCommandArgs, positiveInt, stringOption, UsageError, type OptionTable, type ParsedOptions } from './cliArgs';
import { builtInDatasetId } from '../../shared/mnist';

export const trainUsage =
  `usage: npm run train -- --preset ${presets.map((p) => p.id).join('|')} [--epochs N] [--batch-size N] [--limit N] [--test-limit N] ` +
  `[--backend ${backendChoices.join('|')}] [--threads N] [--data-dir D] [--dataset ID] [--seed N] [--name NAME] [--json]`;

export const trainOptions: OptionTable = {
  preset: { type: 'string', value: presets.map((p) => p.id).join('|'), help: 'the model and settings to start from (required)' },
  epochs: { type: 'string', value: 'N', help: "epochs to train at most (the preset's by default; early stopping may end sooner)" },
  'batch-size': { type: 'string', value: 'N', help: 'images per training step' },
  limit: { type: 'string', value: 'N', help: 'train on only the first N training images' },
  'test-limit': { type: 'string', value: 'N', help: 'validate and evaluate on only the first N test images' },
  backend: { type: 'string', value: backendChoices.join('|'), default: 'auto', help: 'where to train; auto takes the fastest that loads' },
  threads: { type: 'string', value: 'N', help: 'CPU threads for wasm training (default: every core, or $MNIST_LAB_WASM_THREADS)' },
  'data-dir': { type: 'string', value: 'D', help: 'where runs and datasets are stored (default: $XDG_DATA_HOME/mnist-lab)' },
  dataset: { type: 'string', value: 'ID', default: builtInDatasetId, help: 'an imported dataset to train on instead of MNIST' },
  seed: { type: 'string', value: 'N', help: 'seeds initialisation, shuffling, dropout and augmentation' },
  name: { type: 'string', value: 'NAME', help: 'the run name shown in the app' },
  json: { type: 'boolean', default: false, help: 'print one JSON object per line instead of text' },
  help: { type: 'boolean', help: 'print this help' },
};

/** Which flag sets each field of the spec, to name it when the API's schema refuses a value. */
const flagOfField: Record<string, string> = {
  name: '--name',
  datasetId: '--dataset',
  backend: '--backend',
  'settings.epochs': '--epochs',
  'settings.batchSize': '--batch-size',
  'settings.trainLimit': '--limit',
  'settings.testLimit': '--test-limit',
  'settings.seed': '--seed',
  'settings.threads': '--threads',
};

/** Checks the spec with the API's own schema, so the CLI refuses exactly what the app refuses, before anything starts. */
function validateSpec(spec: RunSpec): RunSpec {
  const parsed = v.safeParse(RunSpecSchema, spec);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  const path = v.getDotPath(issue) ?? '';
  throw new UsageError(`${flagOfField[path] ?? path}: ${clip(issue.message)}`);
}

/** Turns `train`'s arguments into a validated run spec; every mistake is a UsageError naming its flag. */
export function parseTrainArgs(args: string[]): { spec: RunSpec; json: boolean; dataDir: string | undefined } {
  const options = parseCommandArgs(args, trainOptions);
  return { spec: specFromOptions(options), json: options.json === true, dataDir: stringOption(options, 'data-dir') };
}

/** The run spec `train`'s options describe (a sweep's base takes the same), validated. */
export function specFromOptions(options: ParsedOptions): RunSpec {
  const presetId = stringOption(options, 'preset');
  if (!presetId) throw new UsageError('--preset is required');
  const preset = findPreset(presetId);
  if (!preset) throw new UsageError(`no preset ${JSON.stringify(clip(presetId, 40))}; choose ${presets.map((p) => p.id).join(', ')}`);
  const settings = { ...preset.settings };
  settings.epochs = positiveInt(stringOption(options, 'epochs'), '--epochs') ?? settings.epochs;
  settings.batchSize = positiveInt(stringOption(options, 'batch-size'), '--batch-size') ?? settings.batchSize;
  settings.trainLimit = positiveInt(stringOption(options, 'limit'), '--limit') ?? settings.trainLimit;
  settings.testLimit = positiveInt(stringOption(options, 'test-limit'), '--test-limit') ?? settings.testLimit;
  settings.seed = nonNegativeInt(stringOption(options, 'seed'), '--seed') ?? settings.seed;
  settings.threads = positiveInt(stringOption(options, 'threads'), '--threads') ?? settings.threads;
  return validateSpec({
    name: stringOption(options, 'name') ?? `${preset.name} (CLI)`,
    datasetId: stringOption(options, 'dataset')!,
    presetId: preset.id,
    layers: preset.layers,
    settings,
    backend: stringOption(options, 'backend') as RunSpec['backend'],
  });
}
