/// <reference lib="webworker" />
import { UMAP } from 'umap-js';
import { errorMessage } from '../../../shared/errorMessage';
import { fitToSquare } from '../../lib/projection/fitToSquare';
import { principalComponents } from '../../lib/projection/pca';
import { seededRandom } from '../../../shared/training/seededRandom';
import type { FromProjectionWorker, ToProjectionWorker } from './projectionWorkerMessages';

// A Web Worker that places the projector's points: PCA, and UMAP (umap-js), which takes seconds
// to a minute for 10,000 digits and reports its epochs as it goes, so the page never stalls.

const scope = self as unknown as DedicatedWorkerGlobalScope;

function reply(message: FromProjectionWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function rows(values: Float32Array, count: number, features: number): number[][] {
  return Array.from({ length: count }, (_, i) => Array.from(values.subarray(i * features, (i + 1) * features)));
}

function handle(message: ToProjectionWorker): void {
  const { id, values, count, features } = message;
  if (values.length !== count * features) throw new Error(`expected ${count} × ${features} values, got ${values.length}`);
  let points: Float32Array;
  if (message.type === 'pca') {
    points = principalComponents(values, count, features);
  } else {
    // UMAP needs more points than neighbours.
    const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, Math.max(2, count - 1)), nEpochs: 200, random: seededRandom(message.seed) });
    reply({ type: 'progress', id, epoch: 0, epochs: 200 });
    const epochs = umap.initializeFit(rows(values, count, features));
    for (let epoch = 0; epoch < epochs; epoch++) {
      umap.step();
      if (epoch % 10 === 9) reply({ type: 'progress', id, epoch: epoch + 1, epochs });
    }
    points = Float32Array.from(umap.getEmbedding().flat());
  }
  const fitted = fitToSquare(points);
  reply({ type: 'projected', id, points: fitted }, [fitted.buffer]);
}

scope.onmessage = (event: MessageEvent<ToProjectionWorker>) => {
  try {
    handle(event.data);
  } catch (error) {
    reply({ type: 'error', id: event.data.id, message: errorMessage(error) });
  }
};
