/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { errorMessage } from '../../../shared/errorMessage';
import { LayerPreviews, type LayerWeights } from './layerPreviews';
import { loadCheckpointModel } from './modelAnalysis';
import type { FromPreviewWorker, ToPreviewWorker } from './previewWorkerMessages';

// The designer's preview worker: a design's layers applied to one digit, off the page's thread.
// WebGPU where Chromium has a real adapter (not a software one), else wasm, else plain JavaScript.

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd });
const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (message: FromPreviewWorker) => scope.postMessage(message);

async function hardwareGpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = (await gpu?.requestAdapter().catch(() => null)) as
    (GPUAdapter & { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } }) | null;
  return !!adapter && !(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter);
}

async function startBackend(): Promise<string> {
  if (await hardwareGpu()) {
    await import('@tensorflow/tfjs-backend-webgpu');
    if (await tf.setBackend('webgpu').catch(() => false)) return 'webgpu';
  }
  await import('@tensorflow/tfjs-backend-wasm');
  if (await tf.setBackend('wasm').catch(() => false)) return 'wasm';
  await tf.setBackend('cpu');
  return 'cpu';
}

const ready = startBackend().then((backend) => {
  reply({ type: 'ready', id: 0, backend });
  return backend;
});
const previews = new LayerPreviews();
let runWeights: { runId: string; weights: LayerWeights } | null = null;

/** A checkpoint's weights by stack position (its model's first layer is the stack's layer 1). */
async function weightsOf(checkpoint: ToPreviewWorker & { type: 'weights' }): Promise<LayerWeights> {
  const model = await loadCheckpointModel(checkpoint.checkpoint!);
  const weights: LayerWeights = new Map();
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  for (const [i, layer] of layers.entries()) {
    const values = await Promise.all(layer.getWeights().map((w) => w.data() as Promise<Float32Array>));
    if (values.length > 0) weights.set(i + 1, values);
  }
  model.dispose();
  return weights;
}

async function handle(message: ToPreviewWorker): Promise<void> {
  await ready;
  if (message.type === 'weights') {
    runWeights = message.runId && message.checkpoint ? { runId: message.runId, weights: await weightsOf(message) } : null;
    reply({ type: 'weights', id: message.id });
  } else if (message.type === 'outputs') {
    const source = message.runWeights ? runWeights : null;
    const { outputs, recomputedFrom } = await previews.run(message.layers, message.seed, message.input, source?.weights ?? null, source?.runId ?? 'fresh');
    reply({ type: 'outputs', id: message.id, outputs, recomputedFrom });
  } else {
    const found = await previews.kernelOf(message.index, message.filter, message.channel);
    reply({ type: 'kernel', id: message.id, kernel: found?.kernel ?? null, bias: found?.bias ?? 0 });
  }
}

// One request at a time: the previews' kept layers are one state.
let queue = Promise.resolve();
scope.onmessage = (event: MessageEvent<ToPreviewWorker>) => {
  queue = queue.then(() => handle(event.data).catch((error: unknown) => reply({ type: 'error', id: event.data.id, message: errorMessage(error) })));
};
