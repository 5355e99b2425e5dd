import { utilityProcess } from 'electron';
import type { WorkerLauncher } from '../core/workerHost';

/** Starts the training worker as an Electron utility process (a Node process Electron manages). */
export function utilityWorkerLauncher(entryFile: string): WorkerLauncher {
  return (env) => {
    const child = utilityProcess.fork(entryFile, [], { env, serviceName: 'MNIST Lab training', stdio: 'pipe' });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onOutput: (listener) => {
        child.stdout?.setEncoding('utf8').on('data', listener);
        child.stderr?.setEncoding('utf8').on('data', listener);
      },
      onExit: (listener) => child.once('exit', (code) => listener(`exit code ${code}`)),
      kill: () => {
        child.kill();
      },
    };
  };
}
