import * as tf from '@tensorflow/tfjs-core';
import { parentPort, workerData } from 'node:worker_threads';
import '@tensorflow/tfjs-backend-wasm';
import { batchTensors } from '../batchAssembly';
import { buildModel } from '../buildModel';
import { registerFastWasmKernels } from '../wasmKernels/registerFastWasmKernels';
import { assignWeights, computeGradients, trainableVariables } from './gradientStep';
import type { FromHelper, HelperInit, ToHelper } from './helperMessages';
import { OptimizerStep } from './optimizerStep';
import { gradientViews, writeScaledGradients } from './sharedBuffers';
import { errorMessage } from '../../../shared/errorMessage';

// A thread of the training worker that holds a second replica of the model on its own wasm
// instance (its own core) and computes the gradients of part of every batch.

const init = workerData as HelperInit;
const port = parentPort!;
const send = (message: FromHelper) => port.postMessage(message);

async function main() {
  registerFastWasmKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('the helper thread could not start the wasm backend');
  const model = buildModel(init.layers, init.optimizer, init.seed);
  const variables = trainableVariables(model);
  const input = new Float32Array(init.buffers.input);
  const labels = new Float32Array(init.buffers.labels);
  const ownViews = gradientViews(init.buffers.helperGrads, init.sizes);
  const mainViews = init.buffers.mainGrads.map((buffer) => gradientViews(buffer, init.sizes));
  const optimizer = new OptimizerStep(init.optimizer, init.sizes);
  let weights: Float32Array[] = variables.map((v) => v.dataSync() as Float32Array);

  port.on('message', (message: ToHelper) => {
    try {
      if (message.type === 'weights') {
        const shapes = model.getWeights().map((w) => w.shape);
        const values = message.values.map((v, i) => tf.tensor(v, shapes[i]));
        model.setWeights(values);
        tf.dispose(values);
        weights = variables.map((v) => (v.dataSync() as Float32Array).slice());
      } else if (message.type === 'gradients') {
        const started = performance.now();
        const n = message.count;
        const { xs, ys } = batchTensors(input, labels, n);
        const result = computeGradients(model, xs, ys);
        tf.dispose([xs, ys]);
        writeScaledGradients(result.grads, ownViews, message.scale);
        tf.dispose(result.grads);
        send({ type: 'gradients', loss: result.loss, accuracy: result.accuracy, milliseconds: performance.now() - started });
      } else {
        optimizer.apply(weights, mainViews[message.slot]!, ownViews);
        assignWeights(variables, weights);
      }
    } catch (error) {
      send({ type: 'error', message: errorMessage(error) });
    }
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => send({ type: 'error', message: errorMessage(error) }));
