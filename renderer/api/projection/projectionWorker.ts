import type { FromProjectionWorker, ToProjectionWorker } from './projectionWorkerMessages';

type Request = ToProjectionWorker extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The projector's worker (projectionWorkerEntry.ts) as promises, with UMAP's progress to a callback. */
export class ProjectionWorker {
  private readonly worker = new Worker(new URL('./projectionWorkerEntry.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (points: Float32Array) => void; reject: (error: Error) => void; progress: (epoch: number, epochs: number) => void }
  >();

  constructor() {
    this.worker.onmessage = (event: MessageEvent<FromProjectionWorker>) => {
      const message = event.data;
      const pending = this.waiting.get(message.id);
      if (!pending) return;
      if (message.type === 'progress') {
        pending.progress(message.epoch, message.epochs);
        return;
      }
      this.waiting.delete(message.id);
      if (message.type === 'error') pending.reject(new Error(message.message));
      else pending.resolve(message.points);
    };
  }

  /** count × 2 points in the unit square; `progress` hears UMAP's epochs. */
  project(request: Request, progress: (epoch: number, epochs: number) => void = () => {}): Promise<Float32Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, progress });
      this.worker.postMessage({ ...request, id } as ToProjectionWorker);
    });
  }

  dispose(): void {
    this.worker.terminate();
    for (const pending of this.waiting.values()) pending.reject(new Error('the view closed'));
    this.waiting.clear();
  }
}
