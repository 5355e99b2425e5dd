import { fork } from 'node:child_process';
import * as v from 'valibot';
import type { BackendChoice, BackendReport } from '../../shared/apiTypes';
import { describeIssues } from '../../shared/wire/validation';
import { WorkerMessageSchema, type HostMessage, type WorkerMessage } from '../common/workerMessages';

/** A started worker process, whichever API started it. */
export interface WorkerProcess {
  send(message: HostMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone, with a description such as "exit code 1" or "signal SIGKILL". */
  onExit(listener: (description: string) => void): void;
  kill(): void;
}

/** Starts the worker entry file as a process with the given environment. */
export type WorkerLauncher = (env: NodeJS.ProcessEnv) => WorkerProcess;

/** child_process.fork, for the server, the CLI and tests (Electron uses utilityProcess instead). */
export function forkWorkerLauncher(entryFile: string): WorkerLauncher {
  return (env) => {
    // The worker's stdout goes to our stderr: tfjs prints notices there, and `train --json`
    // promises nothing but JSON lines on stdout.
    const child = fork(entryFile, [], { env, serialization: 'advanced', stdio: ['ignore', 2, 2, 'ipc'] });
    return {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.once('exit', (code, signal) => listener(signal ? `signal ${signal}` : `exit code ${code}`)),
      kill: () => {
        child.kill();
      },
    };
  };
}

export interface WorkerHostOptions {
  /** Which GPU to train on when there are several (sets CUDA_VISIBLE_DEVICES). */
  gpuIndex?: number | null;
}

export interface TrainJob {
  message: Extract<HostMessage, { type: 'train' }>;
  /** Every validated message from the worker, in order. */
  onMessage: (message: WorkerMessage) => void;
  /** The worker is gone; `unexpected` is set when it left without a done or error message. */
  onEnd: (unexpected: string | null) => void;
}

/**
 * Starts training workers as separate processes, never threads (a second tfjs-node instance in a
 * thread fails to load its binding, tfjs #8388 and #2079), and checks what they send.
 */
export class WorkerHost {
  private readonly probes = new Map<BackendChoice, Promise<BackendReport>>();

  constructor(
    private readonly launch: WorkerLauncher,
    private readonly options: WorkerHostOptions = {},
  ) {}

  /** The environment a worker starts with. */
  workerEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Without this, tfjs-node-gpu reserves all GPU memory at start (tfjs #671).
    env.TF_FORCE_GPU_ALLOW_GROWTH ??= 'true';
    env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    if (this.options.gpuIndex !== null && this.options.gpuIndex !== undefined) env.CUDA_VISIBLE_DEVICES = String(this.options.gpuIndex);
    return env;
  }

  /** Which backend `choice` gives on this machine and why better ones fail; asked once per choice. */
  probe(choice: BackendChoice): Promise<BackendReport> {
    let report = this.probes.get(choice);
    if (!report) {
      report = this.runProbe(choice);
      this.probes.set(choice, report);
      report.catch(() => this.probes.delete(choice));
    }
    return report;
  }

  private runProbe(choice: BackendChoice): Promise<BackendReport> {
    return this.oneShot({ type: 'probe', backend: choice }, (m) => (m.type === 'backend' ? m.report : undefined));
  }

  /** Evaluates a stored checkpoint on the test set in a fresh worker (for a run whose worker died). */
  evaluate(request: Extract<HostMessage, { type: 'evaluate' }>): Promise<Extract<WorkerMessage, { type: 'evaluation' }>> {
    return this.oneShot(request, (m) => (m.type === 'evaluation' ? m : undefined));
  }

  /** Saves an imported model as a checkpoint and evaluates it, in a fresh worker. */
  importModel(request: Extract<HostMessage, { type: 'import' }>): Promise<Extract<WorkerMessage, { type: 'evaluation' }>> {
    return this.oneShot(request, (m) => (m.type === 'evaluation' ? m : undefined));
  }

  /** Reads preprocessed images with a run's checkpoint in a fresh worker (`npm run predict`). */
  predict(request: Extract<HostMessage, { type: 'predict' }>): Promise<Extract<WorkerMessage, { type: 'predictions' }>> {
    return this.oneShot(request, (m) => (m.type === 'predictions' ? m : undefined));
  }

  /** Times training steps in a fresh worker (`npm run bench`). */
  bench(request: Extract<HostMessage, { type: 'bench' }>): Promise<Extract<WorkerMessage, { type: 'bench' }>> {
    return this.oneShot(request, (m) => (m.type === 'bench' ? m : undefined));
  }

  /** Sends one message to a fresh worker and resolves with the first reply `pick` accepts. */
  private oneShot<T>(message: HostMessage, pick: (message: WorkerMessage) => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const worker = this.launch(this.workerEnv());
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        action();
        worker.kill();
      };
      worker.onMessage((raw) => {
        const parsed = v.safeParse(WorkerMessageSchema, raw);
        if (!parsed.success) return settle(() => reject(new Error(`the worker sent a malformed message: ${describeIssues(parsed.issues)}`)));
        if (parsed.output.type === 'error') {
          const { message: text } = parsed.output;
          return settle(() => reject(new Error(text)));
        }
        const picked = pick(parsed.output);
        if (picked !== undefined) settle(() => resolve(picked));
      });
      worker.onExit((description) => settle(() => reject(new Error(`the worker ended before answering (${description})`))));
      worker.send(message);
    });
  }

  /** Starts one training worker; returns a function that asks it to stop after its current batch. */
  train(job: TrainJob): { stop: () => void; kill: () => void } {
    const worker = this.launch(this.workerEnv());
    let finished = false;
    worker.onMessage((raw) => {
      const parsed = v.safeParse(WorkerMessageSchema, raw);
      if (!parsed.success) {
        job.onMessage({ type: 'error', message: `the worker sent a malformed message: ${describeIssues(parsed.issues)}` });
        finished = true;
        worker.kill();
        return;
      }
      if (finished) return;
      job.onMessage(parsed.output);
      if (parsed.output.type === 'done' || parsed.output.type === 'error') {
        finished = true;
        worker.kill();
      }
    });
    worker.onExit((description) => job.onEnd(finished ? null : `the training worker stopped unexpectedly (${description})`));
    worker.send(job.message);
    return { stop: () => worker.send({ type: 'stop' }), kill: () => worker.kill() };
  }
}
