import { join } from 'node:path';
import * as v from 'valibot';
import { BackendChoiceSchema, type BackendReport, type RunSpec, type TrainDoneEvent, type TrainEpochEvent, type TrainStartedEvent } from '../../shared/apiTypes';
import { findPreset, presets } from '../../shared/layers/presets';
import { appVersion } from '../core/appVersion';
import { defaultDataDir } from '../core/dataDir';
import { createLabService } from '../core/labService';
import { forkWorkerLauncher } from '../core/workerHost';
import { nonNegativeInt, parseCommandArgs, positiveInt, UsageError } from './cliArgs';

export const trainUsage =
  'usage: npm run train -- --preset seed-mlp|seed-cnn|deep-cnn [--epochs N] [--batch-size N] [--limit N] [--test-limit N] ' +
  '[--backend auto|cuda|cpu|wasm|js] [--data-dir D] [--dataset ID] [--seed N] [--name NAME] [--json]';

function describeBackend(report: BackendReport, threads: number): string {
  const others = report.candidates.filter((c) => c.name !== report.active && c.reason).map((c) => `  ${c.name}: ${c.reason}`);
  const where = report.gpu && report.active === 'cuda' ? ` (${report.gpu.name})` : threads > 1 ? ` (${threads} threads)` : '';
  return [`Backend: ${report.active ?? 'none'}${where}`, ...others].join('\n');
}

const fixed = (n: number, digits = 4) => n.toFixed(digits);

/** `train`: one run from a preset, printed like Keras' fit, or as JSON lines with --json. */
export async function trainCommand(args: string[]): Promise<number> {
  const options = parseCommandArgs(args, {
    preset: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    limit: { type: 'string' },
    'test-limit': { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    'data-dir': { type: 'string' },
    dataset: { type: 'string', default: 'mnist' },
    seed: { type: 'string' },
    name: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (!options.preset) throw new UsageError('--preset is required');
  const preset = findPreset(options.preset);
  if (!preset) throw new UsageError(`no preset ${JSON.stringify(options.preset)}; choose ${presets.map((p) => p.id).join(', ')}`);
  const backend = v.safeParse(BackendChoiceSchema, options.backend);
  if (!backend.success) throw new UsageError(`--backend must be auto, cuda, cpu, wasm or js, not ${JSON.stringify(options.backend)}`);

  const settings = { ...preset.settings };
  settings.epochs = positiveInt(options.epochs, '--epochs') ?? settings.epochs;
  settings.batchSize = positiveInt(options['batch-size'], '--batch-size') ?? settings.batchSize;
  settings.trainLimit = positiveInt(options.limit, '--limit') ?? settings.trainLimit;
  settings.testLimit = positiveInt(options['test-limit'], '--test-limit') ?? settings.testLimit;
  settings.seed = nonNegativeInt(options.seed, '--seed') ?? settings.seed;
  const spec: RunSpec = {
    name: options.name ?? `${preset.name} (CLI)`,
    datasetId: options.dataset!,
    presetId: preset.id,
    layers: preset.layers,
    settings,
    backend: backend.output,
  };

  const json = options.json!;
  const out = (line: string) => process.stdout.write(line + '\n');
  const print = (value: object) => out(JSON.stringify(value));
  let result: Promise<number> | null = null;
  let finish!: (code: number) => void;
  result = new Promise((resolve) => (finish = resolve));
  let currentRun = '';

  const service = createLabService({
    dataDir: options['data-dir'] ?? defaultDataDir(),
    shell: 'cli',
    appVersion,
    launchWorker: forkWorkerLauncher(join(__dirname, 'trainingWorker.cjs')),
    emit: (name, payload) => {
      if ('runId' in payload && payload.runId !== currentRun) return;
      if (name === 'train:started') {
        const started = payload as TrainStartedEvent;
        if (json) print({ type: 'backend', active: started.backend.active, threads: started.threads, candidates: started.backend.candidates });
        else out(`${describeBackend(started.backend, started.threads)}\nTraining on ${started.trainCount} images, validating on ${started.validationCount}`);
      } else if (name === 'train:epoch') {
        const e = payload as TrainEpochEvent;
        if (json) {
          print({ type: 'epoch', epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, valLoss: e.valLoss, valAccuracy: e.valAccuracy, seconds: e.seconds, imagesPerSecond: e.imagesPerSecond });
        } else {
          out(
            `Epoch ${e.epoch}/${settings.epochs} - ${e.seconds.toFixed(1)}s ${Math.round(e.imagesPerSecond)} img/s - loss: ${fixed(e.loss)} - accuracy: ${fixed(e.accuracy)} ` +
              `- val_loss: ${fixed(e.valLoss)} - val_accuracy: ${fixed(e.valAccuracy)}${e.checkpointed ? ' - val_loss improved, checkpoint saved' : ''}`,
          );
        }
      } else if (name === 'train:done') {
        const d = payload as TrainDoneEvent;
        if (json) print({ type: 'done', runId: d.runId, testAccuracy: d.testAccuracy, testLoss: d.testLoss, bestEpoch: d.bestEpoch, stoppedBy: d.stoppedBy });
        else {
          if (d.stoppedBy === 'early-stopping') out(`Stopped early: val_loss did not improve for ${settings.earlyStopping?.patience} epochs`);
          out(`Best epoch ${d.bestEpoch}, run ${d.runId}, ${d.seconds.toFixed(1)}s in all`);
          out(`Test loss: ${fixed(d.testLoss)}`);
          out(`Test accuracy: ${fixed(d.testAccuracy)}`);
        }
        finish(0);
      } else if (name === 'train:error') {
        const message = (payload as { message: string }).message;
        if (json) print({ type: 'error', message });
        else process.stderr.write(`Training failed: ${message}\n`);
        finish(1);
      }
    },
  });

  const stopOnSignal = () => {
    process.stderr.write('Stopping after the current batch; the best checkpoint will be evaluated…\n');
    void service.stopTraining();
  };
  process.once('SIGINT', stopOnSignal);
  try {
    currentRun = (await service.startTraining(spec)).runId;
  } catch (error) {
    process.stderr.write(`Cannot start training: ${(error as Error).message}\n`);
    return 1;
  }
  const code = await result;
  await service.whenIdle();
  process.off('SIGINT', stopOnSignal);
  return code;
}
