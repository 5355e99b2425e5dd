import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { analyzeStack, describeProblem } from '../../../shared/layers/inferShapes';
import type { LayerStack } from '../../../shared/layers/layerSpec';
import { tfjsLayerConfig, type TfjsLayerConfig } from '../../../shared/layers/tfjsLayerConfig';
import { optimizerConstants, type OptimizerSettings } from '../../../shared/training/trainingSettings';

/** The tfjs-layers layer a config describes (the classes register themselves with tfjs' serialisation). */
function layerFromConfig({ className, config }: TfjsLayerConfig): tfl.layers.Layer {
  const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[className]!;
  return fromConfig(cls, config) as tfl.layers.Layer;
}

export function createOptimizer(settings: OptimizerSettings): tf.Optimizer {
  switch (settings.type) {
    case 'adam':
      return tf.train.adam(settings.learningRate, optimizerConstants.adamBeta1, optimizerConstants.adamBeta2, optimizerConstants.epsilon);
    case 'sgd':
      return settings.momentum > 0 ? tf.train.momentum(settings.learningRate, settings.momentum) : tf.train.sgd(settings.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate, optimizerConstants.rmspropDecay, 0, optimizerConstants.epsilon);
  }
}

/**
 * Builds and compiles a model from a layer stack that shared/layers/inferShapes accepts, so the
 * designer's shapes and parameter counts are the model's. Loss: categorical cross-entropy.
 */
export function buildModel(stack: LayerStack, optimizer: OptimizerSettings, seed: number): tfl.Sequential {
  const analysis = analyzeStack(stack);
  if (!analysis.ok) throw new Error(`invalid layer stack: ${analysis.problems.map(describeProblem).join('; ')}`);
  const [input, ...rest] = stack;
  if (input?.type !== 'input') throw new Error('the first layer must be the input');
  const model = tfl.sequential();
  rest.forEach((spec, i) => {
    if (spec.type === 'input') throw new Error('an input layer may only come first');
    model.add(layerFromConfig(tfjsLayerConfig(spec, seed + i, i === 0 ? input.shape : undefined)));
  });
  model.compile({ optimizer: createOptimizer(optimizer), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
