import type { Checkpoint } from '../../../shared/apiTypes';
import type { FromModelWorker, ToModelWorker } from './modelWorkerMessages';

type Reply<T extends FromModelWorker['type']> = Extract<FromModelWorker, { type: T }>;
type Request = ToModelWorker extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A run's model in a Web Worker, as promises: one run at a time (an ensemble's members together); replies are matched to requests by id. */
export class ModelWorker {
  private readonly worker = new Worker(new URL('./modelWorkerEntry.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: FromModelWorker) => void; reject: (error: Error) => void }>();

  constructor() {
    this.worker.onmessage = (event: MessageEvent<FromModelWorker>) => {
      const pending = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      if (!pending) return;
      if (event.data.type === 'error') pending.reject(new Error(event.data.message));
      else pending.resolve(event.data);
    };
  }

  private send(request: Request): Promise<FromModelWorker> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as ToModelWorker);
    });
  }

  async load(checkpoints: Checkpoint[]): Promise<Reply<'loaded'>> {
    return (await this.send({ type: 'load', checkpoints })) as Reply<'loaded'>;
  }

  async explain(pixels: Uint8Array, classIndex: number | null): Promise<Reply<'explained'>> {
    return (await this.send({ type: 'explain', pixels, classIndex })) as Reply<'explained'>;
  }

  /** A hidden layer's outputs for n images (n × 784 bytes), n × features values. */
  async activations(layerName: string, pixels: Uint8Array): Promise<Float32Array> {
    return ((await this.send({ type: 'activations', layerName, pixels })) as Reply<'activations'>).values;
  }

  async predict(input: Float32Array): Promise<Float32Array> {
    return ((await this.send({ type: 'predict', input })) as Reply<'predicted'>).probabilities;
  }

  dispose(): void {
    this.worker.terminate();
    for (const pending of this.waiting.values()) pending.reject(new Error('the view closed'));
    this.waiting.clear();
  }
}
