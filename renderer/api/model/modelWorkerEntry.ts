/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type * as tfl from '@tensorflow/tfjs-layers';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { errorMessage } from '../../../shared/errorMessage';
import { featureMaps, firstKernels, loadCheckpointModel, predictImage, predictInput, saliencyMap } from './modelAnalysis';
import type { FromModelWorker, ToModelWorker } from './modelWorkerMessages';
import { pixelsPerImage } from '../../../shared/mnist';

// A Web Worker holding one run's model: it predicts and computes saliency and feature maps off
// the page's thread, so the UI never stalls. tfjs runs on its wasm backend (XNNPACK, SIMD), which
// reads a stroke with the seed CNN several times faster than the plain-JavaScript backend; that
// one stays the fallback where wasm cannot start.

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd });
const backendReady = tf.setBackend('wasm').then(
  (ok) => ok || tf.setBackend('cpu'),
  () => tf.setBackend('cpu'),
);

const scope = self as unknown as DedicatedWorkerGlobalScope;
let model: tfl.LayersModel | null = null;

function reply(message: FromModelWorker): void {
  scope.postMessage(message);
}

async function handle(message: ToModelWorker): Promise<void> {
  if (message.type === 'load') {
    model?.dispose();
    model = null;
    await backendReady;
    model = await loadCheckpointModel(message.checkpoint);
    // One reading of a blank image first: the first call compiles and allocates what every
    // later one reuses, so the user's first stroke does not pay for it.
    predictInput(model, new Float32Array(pixelsPerImage));
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
