/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type * as tfl from '@tensorflow/tfjs-layers';
import { errorMessage } from '../../../shared/errorMessage';
import { featureMaps, firstKernels, loadCheckpointModel, predictImage, predictInput, saliencyMap } from './modelAnalysis';
import type { FromModelWorker, ToModelWorker } from './modelWorkerMessages';

// A Web Worker holding one run's model (tfjs on the plain-JavaScript backend): it predicts and
// computes saliency and feature maps off the page's thread, so the UI never stalls.

const scope = self as unknown as DedicatedWorkerGlobalScope;
let model: tfl.LayersModel | null = null;

function reply(message: FromModelWorker): void {
  scope.postMessage(message);
}

async function handle(message: ToModelWorker): Promise<void> {
  if (message.type === 'load') {
    model?.dispose();
    model = null;
    await tf.setBackend('cpu');
    model = await loadCheckpointModel(message.checkpoint);
    reply({ type: 'loaded', id: message.id, kernels: firstKernels(model) });
    return;
  }
  if (!model) throw new Error('no model is loaded');
  if (message.type === 'predict') {
    reply({ type: 'predicted', id: message.id, probabilities: predictInput(model, message.input) });
    return;
  }
  const probabilities = predictImage(model, message.pixels);
  const classIndex = message.classIndex ?? probabilities.indexOf(Math.max(...probabilities));
  reply({
    type: 'explained',
    id: message.id,
    probabilities,
    saliency: saliencyMap(model, message.pixels, classIndex),
    featureMaps: featureMaps(model, message.pixels),
  });
}

scope.onmessage = (event: MessageEvent<ToModelWorker>) => {
  handle(event.data).catch((error: unknown) => reply({ type: 'error', id: event.data.id, message: errorMessage(error) }));
};
