import { Worker } from 'node:worker_threads';
import * as v from 'valibot';
import { ImportedFormatSchema } from '../../../shared/apiTypes';
import { LayerSpecSchema } from '../../../shared/layers/layerSpec';
import { describeIssues } from '../../../shared/wire/validation';
import type { ImportedModel, UploadedFile } from './modelFiles';
import { UnsupportedModelError } from './kerasModelConfig';

/** How long reading one model's files may take: the seed CNN takes well under a second. */
export const modelFileTimeLimitMs = 60_000;

/** The JavaScript heap the thread may use (the weights' own buffers are not counted in it, and are bounded by the model). */
const threadHeapMb = 256;

const ImportedWeightSchema = v.object({ name: v.string(), shape: v.array(v.number()), values: v.instance(Float32Array) });

const ThreadAnswerSchema = v.variant('ok', [
  v.object({
    ok: v.literal(true),
    model: v.object({
      format: ImportedFormatSchema,
      plan: v.looseObject({
        layers: v.array(LayerSpecSchema),
        sourceNames: v.array(v.nullable(v.string())),
        notes: v.array(v.string()),
        analysis: v.looseObject({ ok: v.literal(true) }),
      }),
      weights: v.array(ImportedWeightSchema),
    }),
  }),
  v.object({ ok: v.literal(false), message: v.string() }),
]);

/**
 * Reads the uploaded files of one model in a thread of its own (`entry`, the built
 * modelFileThread.cjs), so a large or crafted file never blocks the event loop, and is stopped
 * when it takes longer than the time limit or more memory than the thread is given.
 */
export function readModelFilesInThread(files: UploadedFile[], entry: string, timeLimitMs = modelFileTimeLimitMs): Promise<ImportedModel> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(entry, {
      workerData: { files: files.map((file) => ({ name: file.name, bytes: file.bytes })) },
      resourceLimits: { maxOldGenerationSizeMb: threadHeapMb },
      stdout: true,
      stderr: true,
    });
    // libhdf5 and Node may print; nothing of it is for the user, and the answer says what went wrong.
    thread.stdout.resume();
    thread.stderr.resume();
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void thread.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(new UnsupportedModelError(`reading it took longer than ${timeLimitMs / 1000} s; a model file MNIST Lab can import reads in a few`)),
        ),
      timeLimitMs,
    );
    thread.on('message', (message: unknown) => {
      const answer = v.safeParse(ThreadAnswerSchema, message);
      if (!answer.success) return settle(() => reject(new Error(`the model-file thread answered out of turn: ${describeIssues(answer.issues)}`)));
      const output = answer.output;
      settle(() => (output.ok ? resolve(output.model as unknown as ImportedModel) : reject(new UnsupportedModelError(output.message))));
    });
    thread.on('error', (error: Error & { code?: string }) => {
      const message = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'reading it needs more memory than a model MNIST Lab can train' : error.message;
      settle(() => reject(new UnsupportedModelError(message)));
    });
    thread.on('exit', (code) => settle(() => reject(new Error(`the model-file thread ended (exit code ${code}) without an answer`))));
  });
}
