import type { Checkpoint } from '../../../shared/apiTypes';
import type { FromInspectorWorker, ToInspectorWorker } from './workerMessages';

type Reply<T extends FromInspectorWorker['type']> = Extract<FromInspectorWorker, { type: T }>;
type Request = ToInspectorWorker extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The inspector's worker as promises: one model at a time; a reply to a request that was superseded is dropped. */
export class ModelWorker {
  private readonly worker = new Worker(new URL('./inspectorWorker.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: FromInspectorWorker) => void; reject: (error: Error) => void }>();

  constructor() {
    this.worker.onmessage = (event: MessageEvent<FromInspectorWorker>) => {
      const pending = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      if (!pending) return;
      if (event.data.type === 'error') pending.reject(new Error(event.data.message));
      else pending.resolve(event.data);
    };
  }

  private send(request: Request): Promise<FromInspectorWorker> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as ToInspectorWorker);
    });
  }

  async load(checkpoint: Checkpoint): Promise<Reply<'loaded'>> {
    return (await this.send({ type: 'load', checkpoint })) as Reply<'loaded'>;
  }

  async explain(pixels: Uint8Array, classIndex: number | null): Promise<Reply<'explained'>> {
    return (await this.send({ type: 'explain', pixels, classIndex })) as Reply<'explained'>;
  }

  dispose(): void {
    this.worker.terminate();
    for (const pending of this.waiting.values()) pending.reject(new Error('the inspector closed'));
    this.waiting.clear();
  }
}
