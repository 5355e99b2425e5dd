import { dirname, join } from 'node:path';
import type { EventSink } from '../../shared/api';
import type { BackendReport, TrainBatchEvent, TrainDoneEvent, TrainEpochEvent, TrainStartedEvent } from '../../shared/apiTypes';
import type { TrainingSettings } from '../../shared/training/trainingSettings';
import { BatchProgress } from './batchProgress';
import { cliLabService } from './cliLabService';
import { parseTrainArgs } from './trainOptions';
import { errorMessage } from '../../shared/errorMessage';

function describeBackend(report: BackendReport, threads: number): string {
  const others = report.candidates.filter((c) => c.name !== report.active && c.reason).map((c) => `  ${c.name}: ${c.reason}`);
  const simd = report.wasmSimd ? `, ${report.wasmSimd}` : '';
  const where =
    report.gpu && report.active === 'cuda' ? ` (${report.gpu.name})` : threads > 1 || simd ? ` (${threads} thread${threads > 1 ? 's' : ''}${simd})` : '';
  return [`Backend: ${report.active ?? 'none'}${where}`, ...others].join('\n');
}

const fixed = (n: number, digits = 4) => n.toFixed(digits);
const out = (line: string) => process.stdout.write(line + '\n');
const print = (value: object) => out(JSON.stringify(value));

/** Prints one run's events like Keras' fit, or as JSON lines; calls `finish` when it ends (with the done event, or null on failure). */
function runPrinter(json: boolean, settings: TrainingSettings, currentRun: () => string, finish: (done: TrainDoneEvent | null) => void): EventSink {
  const progress = new BatchProgress((text) => process.stdout.write(text), process.stdout.isTTY === true, settings.batchSize);
  return (name, payload) => {
    if (typeof payload === 'object' && 'runId' in payload && payload.runId !== currentRun()) return;
    if (name === 'train:batch' && !json) progress.batch(payload as TrainBatchEvent);
    if (name === 'train:epoch' && !json) progress.endEpoch();
    if (name === 'train:started') {
      const started = payload as TrainStartedEvent;
      if (json) print({ type: 'backend', active: started.backend.active, threads: started.threads, candidates: started.backend.candidates });
      else out(`${describeBackend(started.backend, started.threads)}\nTraining on ${started.trainCount} images, validating on ${started.validationCount}`);
    } else if (name === 'train:epoch') {
      const e = payload as TrainEpochEvent;
      if (json)
        print({
          type: 'epoch',
          epoch: e.epoch,
          loss: e.loss,
          accuracy: e.accuracy,
          valLoss: e.valLoss,
          valAccuracy: e.valAccuracy,
          seconds: e.seconds,
          imagesPerSecond: e.imagesPerSecond,
        });
      else {
        out(
          `Epoch ${e.epoch}/${settings.epochs} - ${e.seconds.toFixed(1)}s ${Math.round(e.imagesPerSecond)} img/s - loss: ${fixed(e.loss)} - accuracy: ${fixed(e.accuracy)} ` +
            `- val_loss: ${fixed(e.valLoss)} - val_accuracy: ${fixed(e.valAccuracy)}${e.checkpointed ? ' - val_loss improved, checkpoint saved' : ''}`,
        );
      }
    } else if (name === 'train:done') {
      progress.endEpoch();
      finish(payload as TrainDoneEvent);
    } else if (name === 'train:error') {
      progress.endEpoch();
      const message = (payload as { message: string }).message;
      if (json) print({ type: 'error', message });
      else process.stderr.write(`Training failed: ${message}\n`);
      finish(null);
    }
  };
}

/** The end of a run: its test figures and where its model and evaluation are. */
function printDone(d: TrainDoneEvent, json: boolean, settings: TrainingSettings, modelPath: string): void {
  const evaluationPath = join(dirname(modelPath), 'eval.json');
  if (json) {
    print({
      type: 'done',
      runId: d.runId,
      testAccuracy: d.testAccuracy,
      testLoss: d.testLoss,
      bestEpoch: d.bestEpoch,
      stoppedBy: d.stoppedBy,
      modelPath,
      evaluationPath,
    });
    return;
  }
  if (d.stoppedBy === 'early-stopping') out(`Stopped early: val_loss did not improve for ${settings.earlyStopping?.patience} epochs`);
  out(`Best epoch ${d.bestEpoch}, run ${d.runId}, ${d.seconds.toFixed(1)}s in all\nTest loss: ${fixed(d.testLoss)}\nTest accuracy: ${fixed(d.testAccuracy)}`);
  out(`Saved model: ${modelPath}\nEvaluation: ${evaluationPath}`);
}

/**
 * Ctrl-C: the first asks the run to stop after its batch and still evaluate its best checkpoint
 * (the worker ignores the terminal's SIGINT; it hears it from here); a second one quits at once.
 */
function handleInterrupts(stop: () => void): () => void {
  let asked = false;
  const onSigint = () => {
    if (asked) {
      process.stderr.write('Interrupted again: quitting without evaluating; the run is left as interrupted\n');
      process.exit(130);
    }
    asked = true;
    process.stderr.write('Stopping after the current batch; the best checkpoint will be evaluated (Ctrl-C again to quit now)…\n');
    stop();
  };
  process.on('SIGINT', onSigint);
  return () => process.off('SIGINT', onSigint);
}

/** `train`: one run from a preset, printed like Keras' fit, or as JSON lines with --json. */
export async function trainCommand(args: string[]): Promise<number> {
  const { spec, json, dataDir } = parseTrainArgs(args);
  let finish!: (done: TrainDoneEvent | null) => void;
  const result = new Promise<TrainDoneEvent | null>((resolve) => (finish = resolve));
  let currentRun = '';
  const service = cliLabService(
    dataDir,
    runPrinter(json, spec.settings, () => currentRun, finish),
  );
  const release = handleInterrupts(() => void service.stopTraining());
  try {
    currentRun = (await service.startTraining(spec)).runId;
  } catch (error) {
    release();
    process.stderr.write(`Cannot start training: ${errorMessage(error)}\n`);
    return 1;
  }
  const done = await result;
  await service.whenIdle();
  release();
  if (!done) return 1;
  printDone(done, json, spec.settings, (await service.getRun({ runId: done.runId })).modelPath);
  return 0;
}
