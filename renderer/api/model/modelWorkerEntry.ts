/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type * as tfl from '@tensorflow/tfjs-layers';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { errorMessage } from '../../../shared/errorMessage';
import { featureMaps, firstKernels, layerActivations, loadCheckpointModel, predictImage, predictInput, projectableLayers, saliencyMap } from './modelAnalysis';
import type { FromModelWorker, ToModelWorker } from './modelWorkerMessages';
import { pixelsPerImage } from '../../../shared/mnist';

// A Web Worker holding one run's model (or an ensemble's members, whose outputs it averages): it
// predicts, and computes saliency, feature maps and the projector's activations off the page's
// thread, so the UI never stalls. tfjs runs on its wasm backend (XNNPACK, SIMD), which
// reads a stroke with the seed CNN several times faster than the plain-JavaScript backend; that
// one stays the fallback where wasm cannot start.

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd });
const backendReady = tf.setBackend('wasm').then(
  (ok) => ok || tf.setBackend('cpu'),
  () => tf.setBackend('cpu'),
);

const scope = self as unknown as DedicatedWorkerGlobalScope;
let models: tfl.LayersModel[] = [];

function reply(message: FromModelWorker): void {
  scope.postMessage(message);
}

async function handle(message: ToModelWorker): Promise<void> {
  if (message.type === 'load') {
    models.forEach((model) => model.dispose());
    models = [];
    await backendReady;
    models = await Promise.all(message.checkpoints.map(loadCheckpointModel));
    // One reading of a blank image first: the first call compiles and allocates what every
    // later one reuses, so the user's first stroke does not pay for it.
    predictInput(models, new Float32Array(pixelsPerImage));
    // An ensemble has no one first layer to show.
    const single = models.length === 1 ? models[0]! : null;
    reply({ type: 'loaded', id: message.id, kernels: single ? firstKernels(single) : null, layers: single ? projectableLayers(single) : [] });
    return;
  }
  if (models.length === 0) throw new Error('no model is loaded');
  if (message.type === 'activations') {
    if (models.length !== 1) throw new Error('an ensemble has no one set of layers to project');
    const values = layerActivations(models[0]!, message.layerName, message.pixels);
    scope.postMessage({ type: 'activations', id: message.id, values } satisfies FromModelWorker, [values.buffer]);
    return;
  }
  if (message.type === 'predict') {
    reply({ type: 'predicted', id: message.id, probabilities: predictInput(models, message.input) });
    return;
  }
  const probabilities = predictImage(models, message.pixels);
  const classIndex = message.classIndex ?? probabilities.indexOf(Math.max(...probabilities));
  reply({
    type: 'explained',
    id: message.id,
    probabilities,
    saliency: saliencyMap(models, message.pixels, classIndex),
    // Each member has its own layers: an ensemble has no one set of feature maps.
    featureMaps: models.length === 1 ? featureMaps(models[0]!, message.pixels) : [],
  });
}

scope.onmessage = (event: MessageEvent<ToModelWorker>) => {
  handle(event.data).catch((error: unknown) => reply({ type: 'error', id: event.data.id, message: errorMessage(error) }));
};
