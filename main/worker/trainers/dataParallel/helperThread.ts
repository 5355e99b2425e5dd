import { Worker } from 'node:worker_threads';
import type { FromHelper, HelperInit, ToHelper } from './helperMessages';

export interface HelperThread {
  /** The helper's next reply; a crash or an error reply turns into a thrown error. */
  next(): Promise<FromHelper>;
  post(message: ToHelper): void;
  terminate(): Promise<number>;
}

/** Starts a helper thread as a mailbox and waits until its replica is ready. */
export async function startHelperThread(entry: string, init: HelperInit): Promise<HelperThread> {
  const worker = new Worker(entry, { workerData: init });
  const inbox: FromHelper[] = [];
  let waiting: ((message: FromHelper) => void) | null = null;
  let failure: Error | null = null;
  const deliver = (message: FromHelper) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(message);
    } else inbox.push(message);
  };
  worker.on('message', deliver);
  worker.on('error', (error) => {
    failure = error;
    deliver({ type: 'error', message: error.message });
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`it exited with code ${code}`);
    deliver({ type: 'error', message: failure.message });
  });
  const next = async (): Promise<FromHelper> => {
    const message =
      inbox.shift() ?? (failure ? { type: 'error' as const, message: failure.message } : await new Promise<FromHelper>((resolve) => (waiting = resolve)));
    if (message.type === 'error') throw new Error(`training helper thread ${init.index} failed: ${message.message}`);
    return message;
  };
  try {
    await next();
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return { next, post: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
}
