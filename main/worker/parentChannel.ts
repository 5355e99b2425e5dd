import type { WorkerMessage } from '../common/workerMessages';

/** Minimal shape of Electron's `process.parentPort` in a utilityProcess. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface ParentChannel {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: unknown) => void): void;
}

/**
 * The link to the host: Electron's parentPort when started by utilityProcess.fork, Node's IPC
 * channel when started by child_process.fork. Everything else in the worker is the same.
 */
export function connectToParent(): ParentChannel {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    };
  }
  if (!process.send) throw new Error('the training worker must be started by the app (no IPC channel to a parent)');
  return {
    send: (message) => process.send!(message),
    onMessage: (listener) => process.on('message', listener),
  };
}
