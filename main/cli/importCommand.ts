import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { maxModelUploadBytes } from '../../shared/apiTypes';
import { cliLabService } from './cliLabService';
import { parseCommandArgs, stringOption, UsageError, type OptionTable } from './cliArgs';

export const importUsage = 'usage: npm run import -- FILE… [--name NAME] [--data-dir D] [--json]';

export const importOptions: OptionTable = {
  name: { type: 'string', value: 'NAME', help: "the run's name (default: the file's name)" },
  'data-dir': { type: 'string', value: 'D', help: 'where runs are stored (default: $XDG_DATA_HOME/mnist-lab)' },
  json: { type: 'boolean', help: 'print the new run as one JSON line' },
  help: { type: 'boolean', help: 'print this help' },
};

/** `import`: makes a run of a Keras .h5 or .keras file, or a tfjs model (a zip, or model.json and its weights files), and prints its test accuracy. */
export async function importCommand(args: string[]): Promise<number> {
  const { options, positionals } = parseCommandArgs(args, importOptions, true);
  if (positionals.length === 0) throw new UsageError('name the model file: a Keras .h5 or .keras, a tfjs zip, or model.json with its weights files');
  let total = 0;
  for (const path of positionals) {
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new UsageError(`${path} is not a file`);
    total += info.size;
    if (total > maxModelUploadBytes) throw new UsageError(`the files are larger than ${maxModelUploadBytes / 2 ** 20} MB together`);
  }
  const files = await Promise.all(positionals.map(async (path) => ({ name: basename(path), bytes: new Uint8Array(await readFile(path)) })));
  const service = cliLabService(stringOption(options, 'data-dir'));
  const run = await service.importModel({ name: stringOption(options, 'name') ?? '', files });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(run)}\n`);
    return 0;
  }
  const accuracy = run.testAccuracy === null ? 'unknown' : `${(run.testAccuracy * 100).toFixed(2)} %`;
  process.stdout.write(`Imported ${run.name} as run ${run.id}: test accuracy ${accuracy}.\n`);
  for (const note of run.importedFrom?.notes ?? []) process.stdout.write(`${note}\n`);
  return 0;
}
