import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { stepFlops, type EnginePlan } from '../../engine/enginePlan';
import { WebGpuEngine, type EngineSettings } from '../../engine/webgpuEngine';
import type { BatchTrainer } from '../batchTrainer';

/**
 * Training on WebGPU with our engine (engine/): the model's weights go to the engine once, the
 * training images once, and each epoch's order once; after an epoch the tfjs model takes the
 * engine's weights back, so validation, checkpoints and the test evaluation work as before.
 */
export async function engineTrainer(model: tfl.LayersModel, plan: EnginePlan, device: GPUDevice, settings: EngineSettings): Promise<BatchTrainer> {
  const engine = await WebGpuEngine.build(
    device,
    plan,
    settings,
    model.getWeights().map((w) => w.dataSync() as Float32Array),
  );
  const refuse = async () => {
    throw new Error('the WebGPU engine keeps its own batches: use resident.step()');
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
      step: () => engine.encodeSteps(1),
      dispatchesPerStep: engine.dispatchesPerStep,
      flopsPerStep: stepFlops(plan, settings.batchSize),
    },
  };
}
