import * as tf from '@tensorflow/tfjs-core';
import { parentPort, workerData } from 'node:worker_threads';
import '@tensorflow/tfjs-backend-wasm';
import { classCount, pixelsPerImage } from '../../../../shared/mnist';
import { buildModel } from '../../training/buildModel';
import { registerFastWasmKernels } from '../../kernels/wasm/registerFastWasmKernels';
import { assignWeights, trainableVariables } from '../../training/gradientStep';
import type { FromHelper, HelperInit, ToHelper } from './helperMessages';
import { OptimizerStep } from './optimizerStep';
import { splitByWeight } from './sharedBuffers';
import { shardGradients } from './shardGradients';
import { errorMessage } from '../../../../shared/errorMessage';

// A thread of the training worker that holds a replica of the model on its own wasm instance
// (its own core): it computes the gradients of its shard of every batch and the optimiser
// update of its slice of the weights.

const init = workerData as HelperInit;
const port = parentPort!;
const send = (message: FromHelper) => port.postMessage(message);

async function main() {
  registerFastWasmKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('a training helper thread could not start the wasm backend');
  const model = buildModel(init.layers, init.optimizer, init.seed);
  const variables = trainableVariables(model);
  const input = new Float32Array(init.buffers.input);
  const labels = new Float32Array(init.buffers.labels);
  const weights = new Float32Array(init.buffers.weights);
  const grads = init.buffers.grads.map((slots) => slots.map((buffer) => new Float32Array(buffer)));
  const own = grads[init.index]!;
  const optimizer = new OptimizerStep(init.optimizer, ...init.slice);
  // After an update the shared weights are new; the replica takes them before its next gradients.
  let stale = false;

  const onMessage = (message: ToHelper) => {
    if (message.type === 'weights') {
      const shapes = model.getWeights().map((w) => w.shape);
      const values = message.values.map((v, i) => tf.tensor(v, shapes[i]));
      model.setWeights(values);
      tf.dispose(values);
      stale = false;
    } else if (message.type === 'gradients') {
      const started = performance.now();
      if (stale) assignWeights(variables, splitByWeight(weights, init.sizes));
      stale = false;
      const { offset, count, slot } = message;
      if (count === 0) {
        own[slot]!.fill(0);
        send({ type: 'gradients', loss: 0, accuracy: 0, milliseconds: 0 });
        return;
      }
      const result = shardGradients(model, input.subarray(offset * pixelsPerImage), labels.subarray(offset * classCount), count, own[slot]!, message.scale);
      send({ type: 'gradients', ...result, milliseconds: performance.now() - started });
    } else {
      optimizer.apply(
        weights,
        grads.map((slots) => slots[message.slot]!),
      );
      stale = true;
      send({ type: 'applied' });
    }
  };
  port.on('message', (message: ToHelper) => {
    try {
      onMessage(message);
    } catch (error) {
      send({ type: 'error', message: errorMessage(error) });
    }
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => send({ type: 'error', message: errorMessage(error) }));
