import { utilityProcess } from 'electron';
import { finished } from 'node:stream/promises';
import type { WorkerLauncher } from '../core/workerHost';

/** How long an exited worker's output pipes may take to drain before its exit is reported anyway. */
const drainLimitMs = 2000;

/** Settles when `stream` has ended or failed (or at once when there is none). */
const drained = (stream: NodeJS.ReadableStream | null) => (stream ? finished(stream).catch(() => undefined) : Promise.resolve());

/**
 * Starts the training worker as an Electron utility process (a Node process Electron manages).
 * Its 'exit' can come before the last of its output, unlike child_process' 'close', so the exit
 * is reported once both pipes have drained (or after drainLimitMs), as the fork launcher does.
 */
export function utilityWorkerLauncher(entryFile: string): WorkerLauncher {
  return (env) => {
    const child = utilityProcess.fork(entryFile, [], { env, serviceName: 'MNIST Lab training', stdio: 'pipe' });
    const output = Promise.all([drained(child.stdout), drained(child.stderr)]);
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onOutput: (listener) => {
        child.stdout?.setEncoding('utf8').on('data', listener);
        child.stderr?.setEncoding('utf8').on('data', listener);
      },
      onExit: (listener) =>
        child.once('exit', (code) => {
          const limit = new Promise<void>((resolve) => setTimeout(resolve, drainLimitMs).unref());
          void Promise.race([output, limit]).then(() => listener(`exit code ${code}`));
        }),
      kill: () => {
        child.kill();
      },
    };
  };
}
