import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { stepFlops, type EnginePlan } from '../../engine/enginePlan';
import { WebGpuEngine, type EngineSettings } from '../../engine/webgpuEngine';
import type { BatchTrainer } from '../batchTrainer';

const weightsOf = (model: tfl.LayersModel) => model.getWeights().map((w) => w.dataSync() as Float32Array);

/**
 * Training on WebGPU with our engine (engine/): the model's weights go to the engine once, the
 * training images once, and each epoch's order once; validation and the test evaluation run on
 * the engine too, and the tfjs model takes the engine's weights back only when a checkpoint is
 * kept, so checkpoints are written in the tfjs layers format as before.
 */
export async function engineTrainer(model: tfl.LayersModel, plan: EnginePlan, device: GPUDevice, settings: EngineSettings): Promise<BatchTrainer> {
  const engine = await WebGpuEngine.build(device, plan, settings, weightsOf(model));
  const refuse = async () => {
    throw new Error('the WebGPU engine keeps its own batches: use resident.steps()');
  };
  return {
    threads: 1,
    step: refuse,
    takeMetrics: () => engine.takeMetrics(),
    sync: async () => undefined,
    async pull() {
      const weights = await engine.readWeights();
      const tensors = weights.map((values, i) => tf.tensor(values, plan.parameters[i]!.shape));
      model.setWeights(tensors);
      tf.dispose(tensors);
    },
    dispose: async () => engine.dispose(),
    resident: {
      setData: (pixels, labels) => engine.setData(pixels, labels),
      startEpoch: (order) => engine.startEpoch(order),
      steps: (count) => engine.encodeSteps(count),
      evaluate: (pixels, count) => engine.evaluate(pixels, count),
      push: () => engine.setWeights(weightsOf(model)),
      dispatchesPerStep: engine.dispatchesPerStep,
      flopsPerStep: stepFlops(plan, settings.batchSize),
    },
  };
}
