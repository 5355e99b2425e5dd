import * as v from 'valibot';
import { describeIssues } from '../../shared/wire/validation';
import { benchThroughput } from './training/benchThroughput';
import { evaluateCheckpoint, predictWithCheckpoints } from './evaluation/evaluateTestSet';
import { predictReadBack } from './evaluation/predictReadBack';
import { saveImportedCheckpoint } from './checkpoints/importedCheckpoint';
import { connectToParent } from './parentChannel';
import { selectBackend } from './backends/selectBackend';
import { trainRun } from './training/trainRun';
import { HostMessageSchema, type HostMessage } from '../common/workerMessages';
import type { BackendChoice } from '../../shared/apiTypes';
import { errorMessage } from '../../shared/errorMessage';

// Entry of the training worker process (Electron utilityProcess or child_process.fork).
// It loads one backend, trains at most one run, and is ended by its host afterwards.

const parent = connectToParent();
let stopRequested = false;
let busy = false;

function fail(error: unknown): void {
  parent.send({ type: 'error', message: errorMessage(error) });
}

/** Loads the backend a job asked for; throws, naming the job, when none of it loads. */
async function requireBackend(choice: BackendChoice, job: string): Promise<void> {
  const report = await selectBackend(choice);
  if (!report.active) throw new Error(`no usable backend to ${job}`);
}

/** Carries out one job of the host's (every message but stop). */
async function runJob(message: Exclude<HostMessage, { type: 'stop' }>): Promise<void> {
  switch (message.type) {
    case 'probe':
      parent.send({ type: 'backend', report: await selectBackend(message.backend) });
      return;
    case 'evaluate':
      await requireBackend(message.backend, 'evaluate the checkpoint');
      parent.send({ type: 'evaluation', ...(await evaluateCheckpoint(message.modelDir, message.files, message.testLimit)) });
      return;
    case 'import':
      await requireBackend(message.backend, 'build the imported model');
      await saveImportedCheckpoint(message.modelDir, message.layers, message.weights);
      parent.send({ type: 'evaluation', ...(await evaluateCheckpoint(message.modelDir, message.files, null)) });
      return;
    case 'readBack':
      await requireBackend(message.backend, 'check the exported model');
      parent.send({
        type: 'predictions',
        probabilities: await predictReadBack(message.layers, message.weights, message.files, message.count, message.sketches),
      });
      return;
    case 'predict':
      await requireBackend(message.backend, 'read the images');
      parent.send({ type: 'predictions', probabilities: await predictWithCheckpoints(message.modelDirs, message.inputs) });
      return;
    case 'bench': {
      const report = await selectBackend(message.backend);
      parent.send({ type: 'backend', report });
      if (!report.active) throw new Error(report.candidates.find((c) => c.name === message.backend)?.reason ?? 'no usable backend');
      parent.send({
        type: 'bench',
        ...(await benchThroughput(message, report.active)),
        adapter: report.active === 'webgpu' || report.active === 'cuda' ? (report.gpu?.name ?? null) : null,
      });
      return;
    }
    case 'train': {
      parent.send({ type: 'phase', phase: 'starting' });
      const report = await selectBackend(message.spec.backend);
      parent.send({ type: 'backend', report });
      if (!report.active) {
        throw new Error(`no usable backend for '${message.spec.backend}': ${report.candidates.map((c) => `${c.name}: ${c.reason}`).join('; ')}`);
      }
      await trainRun({
        spec: message.spec,
        files: message.files,
        modelDir: message.modelDir,
        backend: report,
        send: (m) => parent.send(m),
        stopRequested: () => stopRequested,
      });
    }
  }
}

parent.onMessage((raw) => {
  const parsed = v.safeParse(HostMessageSchema, raw);
  if (!parsed.success) {
    fail(new Error(`the worker received a malformed message: ${describeIssues(parsed.issues)}`));
    return;
  }
  const message = parsed.output;
  if (message.type === 'stop') {
    stopRequested = true;
    return;
  }
  if (busy) {
    fail(new Error('this worker is already busy'));
    return;
  }
  busy = true;
  runJob(message).catch(fail);
});

// Without a host there is nobody to report to: leave rather than train for no one.
process.on('disconnect', () => process.exit(0));
// Ctrl-C in a terminal reaches every process of its group, this one too; the host decides what
// it means (stop after the batch, then evaluate) and tells the worker, which must outlive it.
process.on('SIGINT', () => undefined);
