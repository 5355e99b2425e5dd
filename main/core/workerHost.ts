import { fork } from 'node:child_process';
import * as v from 'valibot';
import type { BackendChoice, BackendReport } from '../../shared/apiTypes';
import { describeIssues } from '../../shared/wire/validation';
import { WorkerMessageSchema, type HostMessage, type WorkerMessage } from '../common/workerMessages';
import { WorkerOutput, withDawnNotes } from './workerOutput';

/** A started worker process, whichever API started it. */
export interface WorkerProcess {
  send(message: HostMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** What the process prints on stdout and stderr, in chunks of text. */
  onOutput(listener: (text: string) => void): void;
  /**
   * Called once when the process is gone, with a description such as "exit code 1" or "signal
   * SIGKILL"; fork's launcher waits for its output to be read too (utilityProcess has no such event).
   */
  onExit(listener: (description: string) => void): void;
  kill(): void;
}

/** Starts the worker entry file as a process with the given environment. */
export type WorkerLauncher = (env: NodeJS.ProcessEnv) => WorkerProcess;

/** child_process.fork, for the server, the CLI and tests (Electron uses utilityProcess instead). */
export function forkWorkerLauncher(entryFile: string): WorkerLauncher {
  return (env) => {
    const child = fork(entryFile, [], { env, serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    return {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onOutput: (listener) => {
        child.stdout?.setEncoding('utf8').on('data', listener);
        child.stderr?.setEncoding('utf8').on('data', listener);
      },
      // 'close' comes once the output pipes are drained too.
      onExit: (listener) => child.once('close', (code, signal) => listener(signal ? `signal ${signal}` : `exit code ${code}`)),
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
    // The report waits for the worker's output to end, so what Dawn printed is in its reasons.
    return this.oneShot({ type: 'probe', backend: choice }, (m) => (m.type === 'backend' ? m.report : undefined), withDawnNotes);
  }

  /**
   * Starts a worker whose console output is sorted (workerOutput.ts): the libraries' chatter kept
   * for the backend report, the rest to our stderr (never stdout: `train --json` promises
   * nothing but JSON lines there).
   */
  private launchWorker(): { worker: WorkerProcess; output: WorkerOutput } {
    const worker = this.launch(this.workerEnv());
    const output = new WorkerOutput((text) => process.stderr.write(text));
    worker.onOutput((text) => output.write(text));
    worker.onExit(() => output.end());
    return { worker, output };
  }

  /** Evaluates a stored checkpoint on the test set in a fresh worker (for a run whose worker died). */
  evaluate(request: Extract<HostMessage, { type: 'evaluate' }>): Promise<Extract<WorkerMessage, { type: 'evaluation' }>> {
    return this.oneShot(request, (m) => (m.type === 'evaluation' ? m : undefined));
  }

  /** Saves an imported model as a checkpoint and evaluates it, in a fresh worker. */
  importModel(request: Extract<HostMessage, { type: 'import' }>): Promise<Extract<WorkerMessage, { type: 'evaluation' }>> {
    return this.oneShot(request, (m) => (m.type === 'evaluation' ? m : undefined));
  }

  /** Reads test images with a model read back from an exported file, in a fresh worker. */
  readBack(request: Extract<HostMessage, { type: 'readBack' }>): Promise<Extract<WorkerMessage, { type: 'predictions' }>> {
    return this.oneShot(request, (m) => (m.type === 'predictions' ? m : undefined));
  }

  /** Reads preprocessed images with a run's checkpoint in a fresh worker (`npm run predict`). */
  predict(request: Extract<HostMessage, { type: 'predict' }>): Promise<Extract<WorkerMessage, { type: 'predictions' }>> {
    return this.oneShot(request, (m) => (m.type === 'predictions' ? m : undefined));
  }

  /** Times training steps in a fresh worker (`npm run bench`). */
  bench(request: Extract<HostMessage, { type: 'bench' }>): Promise<Extract<WorkerMessage, { type: 'bench' }>> {
    return this.oneShot(request, (m) => (m.type === 'bench' ? m : undefined));
  }

  /**
   * Sends one message to a fresh worker and resolves with the first reply `pick` accepts; with
   * `afterExit`, once the worker has exited, with the reply completed by what Dawn printed.
   */
  private oneShot<T>(message: HostMessage, pick: (message: WorkerMessage) => T | undefined, afterExit?: (reply: T, dawnNotes: string[]) => T): Promise<T> {
    return new Promise((resolve, reject) => {
      const { worker, output } = this.launchWorker();
      let settled = false;
      let reply: { value: T } | null = null;
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
        if (picked === undefined || reply) return;
        if (!afterExit) return settle(() => resolve(picked));
        reply = { value: picked };
        worker.kill();
        // A worker slow to go must not hold the answer: what was printed so far will do.
        setTimeout(finishReply, 2000).unref();
      });
      const finishReply = () => {
        if (!reply || !afterExit) return;
        const value = afterExit(reply.value, output.dawnNotes());
        settle(() => resolve(value));
      };
      // launchWorker's own exit listener, registered first, has ended the output by now.
      worker.onExit((description) => {
        if (reply) return finishReply();
        settle(() => reject(new Error(`the worker ended before answering (${description})`)));
      });
      worker.send(message);
    });
  }

  /** Starts one training worker; returns a function that asks it to stop after its current batch. */
  train(job: TrainJob): { stop: () => void; kill: () => void } {
    const { worker, output } = this.launchWorker();
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
      // Dawn prints while the backend is chosen, well before this message is sent.
      job.onMessage(parsed.output.type === 'started' ? { ...parsed.output, backend: withDawnNotes(parsed.output.backend, output.dawnNotes()) } : parsed.output);
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
