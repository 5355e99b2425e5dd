import { writeFile } from 'node:fs/promises';
import { modelExportFormats, type ExportParity, type ModelExportFormat } from '../../shared/apiTypes';
import { chooseRunWithCheckpoint } from './chooseRun';
import { cliLabService } from './cliLabService';
import { parseCommandArgs, stringOption, UsageError, type OptionTable } from './cliArgs';

export const exportUsage = `usage: npm run export -- [--run ID|latest] [--format ${modelExportFormats.join('|')}] [--data-dir D] [--out FILE]`;

export const exportOptions: OptionTable = {
  run: {
    type: 'string',
    value: 'ID|latest',
    default: 'latest',
    help: 'the run whose best checkpoint is exported (latest: the newest run trained to its end or imported)',
  },
  format: {
    type: 'string',
    value: modelExportFormats.join('|'),
    default: 'keras-h5',
    help: "keras-h5: for keras.models.load_model; tfjs-zip: tfjs' layers format, zipped",
  },
  out: { type: 'string', value: 'FILE', help: "where to write it (default: the run's name, in this folder); an existing file is never overwritten" },
  'data-dir': { type: 'string', value: 'D', help: 'where runs are stored (default: $XDG_DATA_HOME/mnist-lab)' },
  help: { type: 'boolean', help: 'print this help' },
};

/** What the check of an export found, as `npm run export` prints it. */
export function parityLine({ count, changed, maxDifference }: ExportParity): string {
  return `read back: ${changed.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} predictions changed (largest probability difference ${maxDifference.toExponential(1)})`;
}

/** `export`: writes a run's best checkpoint as a file other tools open, once read back and checked, and prints its path and the check. */
export async function exportCommand(args: string[]): Promise<number> {
  const options = parseCommandArgs(args, exportOptions);
  const format = stringOption(options, 'format')!;
  if (!(modelExportFormats as readonly string[]).includes(format)) throw new UsageError(`--format: choose ${modelExportFormats.join(' or ')}`);
  const service = cliLabService(stringOption(options, 'data-dir'));
  // An ensemble exports as TensorFlow.js only, so for a Keras file latest means the newest single model.
  const run = await chooseRunWithCheckpoint(service, stringOption(options, 'run')!, (r) => format === 'tfjs-zip' || !r.ensembleOf);
  const file = await service.exportModel({ runId: run.id, format: format as ModelExportFormat });
  const out = stringOption(options, 'out') ?? file.fileName;
  try {
    await writeFile(out, file.bytes, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${out} exists already; choose another --out`);
    throw error;
  }
  process.stdout.write(`${out}\n${parityLine(file.parity)}\n`);
  return 0;
}
