import type { Checkpoint } from '../../../shared/apiTypes';
import type { LayerStack } from '../../../shared/layers/layerSpec';
import type { FromPreviewWorker, ToPreviewWorker } from './previewWorkerMessages';

type Reply<T extends FromPreviewWorker['type']> = Extract<FromPreviewWorker, { type: T }>;
type Request = ToPreviewWorker extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The designer's preview worker (previewWorkerEntry.ts) as promises; replies are matched to requests by id. */
export class PreviewWorker {
  private readonly worker = new Worker(new URL('./previewWorkerEntry.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: FromPreviewWorker) => void; reject: (error: Error) => void }>();
  /** The tfjs backend the previews run on, once the worker has started it. */
  readonly backend: Promise<string>;

  constructor() {
    let started: (backend: string) => void = () => {};
    this.backend = new Promise((resolve) => (started = resolve));
    this.worker.onmessage = (event: MessageEvent<FromPreviewWorker>) => {
      if (event.data.type === 'ready') {
        started(event.data.backend);
        return;
      }
      const pending = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      if (!pending) return;
      if (event.data.type === 'error') pending.reject(new Error(event.data.message));
      else pending.resolve(event.data);
    };
  }

  private send(request: Request, transfer: Transferable[] = []): Promise<FromPreviewWorker> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as ToPreviewWorker, transfer);
    });
  }

  /** Loads a run's best checkpoint as the previews' weights, or drops them (null). */
  async useWeights(runId: string | null, checkpoint: Checkpoint | null): Promise<void> {
    await this.send({ type: 'weights', runId, checkpoint });
  }

  /** Every layer's output for a digit (784 values 0–1). */
  async outputs(layers: LayerStack, seed: number, input: Float32Array, runWeights: boolean): Promise<Reply<'outputs'>> {
    return (await this.send({ type: 'outputs', layers, seed, input, runWeights })) as Reply<'outputs'>;
  }

  /** A Conv2D layer's kernel (one filter, one input channel) and bias from the latest outputs' layers. */
  async kernel(index: number, filter: number, channel: number): Promise<Reply<'kernel'>> {
    return (await this.send({ type: 'kernel', index, filter, channel })) as Reply<'kernel'>;
  }

  dispose(): void {
    this.worker.terminate();
    for (const pending of this.waiting.values()) pending.reject(new Error('the view closed'));
    this.waiting.clear();
  }
}
