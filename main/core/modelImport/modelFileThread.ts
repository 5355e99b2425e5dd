import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../../shared/errorMessage';
import { readModelFiles, type UploadedFile } from './modelFiles';

// The model-file thread: reads one upload's files (unzipping, libhdf5, JSON) away from the
// server's event loop, under the time and memory limits its host sets, then ends. Its answer
// is checked by the host (readModelFilesInThread.ts).

const files = (workerData as { files: UploadedFile[] }).files;

readModelFiles(files).then(
  (model) =>
    parentPort?.postMessage(
      { ok: true, model },
      model.weights.map((weight) => weight.values.buffer),
    ),
  (error: unknown) => parentPort?.postMessage({ ok: false, message: errorMessage(error) }),
);
