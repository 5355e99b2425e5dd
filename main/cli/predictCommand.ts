import { stat, readFile } from 'node:fs/promises';
import type { RunSummary } from '../../shared/apiTypes';
import { errorMessage } from '../../shared/errorMessage';
import { classCount, pixelsPerImage } from '../../shared/mnist';
import { inkFromImage } from '../../shared/sketch/inkFromImage';
import { preprocessDigit } from '../../shared/sketch/preprocessDigit';
import { WorkerHost } from '../core/workerHost';
import { chooseRunWithCheckpoint } from './chooseRun';
import { cliLabService, cliWorkerLauncher } from './cliLabService';
import { parseCommandArgs, stringOption, UsageError, type OptionTable } from './cliArgs';
import { decodeImage, maxImageFileBytes } from './decodeImage';

export const predictUsage = 'usage: npm run predict -- [--data-dir D] [--run ID|latest] [--json] FILE...';

export const predictOptions: OptionTable = {
  run: {
    type: 'string',
    value: 'ID|latest',
    default: 'latest',
    help: 'the run whose best checkpoint reads the pictures (latest: the newest run trained to its end or imported)',
  },
  'data-dir': { type: 'string', value: 'D', help: 'where runs are stored (default: $XDG_DATA_HOME/mnist-lab)' },
  json: { type: 'boolean', default: false, help: 'print one JSON object per file' },
  help: { type: 'boolean', help: 'print this help' },
};

/** A picture file as the model's input, by the sketchpad's own preprocessing; throws saying why it cannot be. */
async function inputFromFile(file: string): Promise<Float32Array> {
  const info = await stat(file);
  if (!info.isFile()) throw new Error('it is not a regular file');
  if (info.size > maxImageFileBytes) throw new Error(`it is ${info.size} bytes; pictures of at most ${maxImageFileBytes} are read`);
  const { rgba, width, height } = decodeImage(new Uint8Array(await readFile(file)));
  const { ink, width: w, height: h } = inkFromImage(rgba, width, height);
  const input = preprocessDigit(ink, w, h);
  if (!input) throw new Error('no ink was found in it');
  return input;
}

/** The run that answered, as a person picks it out of the history: its name, id, status and test accuracy. */
function describeRun(run: RunSummary): string {
  const accuracy = run.testAccuracy === null ? '' : `, test accuracy ${(run.testAccuracy * 100).toFixed(2)} %`;
  return `run "${run.name}" (${run.id}, ${run.status}${accuracy})`;
}

/** `predict`: reads digits in picture files with a run's best checkpoint; a bad file is reported and the rest still read. */
export async function predictCommand(args: string[]): Promise<number> {
  const { options, positionals: files } = parseCommandArgs(args, predictOptions, true);
  if (files.length === 0) throw new UsageError('name at least one picture file');
  const json = options.json === true;
  const launchWorker = cliWorkerLauncher();
  const service = cliLabService(stringOption(options, 'data-dir'), undefined, launchWorker);
  const run = await chooseRunWithCheckpoint(service, stringOption(options, 'run')!);

  const read = await Promise.all(
    files.map((file) =>
      inputFromFile(file).then(
        (input) => ({ file, input }),
        (error: unknown) => ({ file, error: errorMessage(error) }),
      ),
    ),
  );
  const good = read.filter((r): r is { file: string; input: Float32Array } => 'input' in r);
  const inputs = new Float32Array(good.length * pixelsPerImage);
  good.forEach((r, i) => inputs.set(r.input, i * pixelsPerImage));
  const { probabilities } =
    good.length > 0
      ? await new WorkerHost(launchWorker).predict({
          type: 'predict',
          backend: 'auto',
          modelDirs: (await service.getRun({ runId: run.id })).modelPaths,
          inputs,
        })
      : { probabilities: new Float32Array() };
  if (!json) process.stdout.write(`Read by ${describeRun(run)}\n`);
  for (const entry of read) {
    if ('error' in entry) {
      if (json) process.stdout.write(JSON.stringify({ file: entry.file, run: run.id, error: entry.error }) + '\n');
      else process.stderr.write(`${entry.file}: cannot be read: ${entry.error}\n`);
      continue;
    }
    const i = good.indexOf(entry);
    const p = Array.from(probabilities.subarray(i * classCount, (i + 1) * classCount), (x) => Math.round(x * 1e6) / 1e6);
    const digit = p.indexOf(Math.max(...p));
    process.stdout.write(
      json
        ? JSON.stringify({ file: entry.file, run: run.id, digit, probabilities: p }) + '\n'
        : `${entry.file}: ${digit} (${(p[digit]! * 100).toFixed(1)} %)\n`,
    );
  }
  return read.some((r) => 'error' in r) ? 1 : 0;
}
