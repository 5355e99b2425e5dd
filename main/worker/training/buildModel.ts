import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { analyzeStack, describeProblem } from '../../../shared/layers/inferShapes';
import type { LayerSpec, LayerStack } from '../../../shared/layers/layerSpec';
import { optimizerConstants, type OptimizerSettings } from '../../../shared/training/trainingSettings';

/** One tfjs layer per spec entry (the input entry becomes the first layer's inputShape). */
function buildLayer(spec: Exclude<LayerSpec, { type: 'input' }>, seed: number, inputShape?: number[]): tfl.layers.Layer {
  const shape = inputShape ? { inputShape } : {};
  const kernelInitializer = tfl.initializers.glorotUniform({ seed });
  switch (spec.type) {
    case 'conv2d':
      return tfl.layers.conv2d({
        ...shape,
        filters: spec.filters,
        kernelSize: spec.kernelSize,
        strides: spec.strides,
        padding: spec.padding,
        activation: spec.activation,
        kernelInitializer,
      });
    case 'maxPooling2d':
      return tfl.layers.maxPooling2d({ ...shape, poolSize: spec.poolSize, strides: spec.strides ?? spec.poolSize, padding: spec.padding });
    case 'averagePooling2d':
      return tfl.layers.averagePooling2d({ ...shape, poolSize: spec.poolSize, strides: spec.strides ?? spec.poolSize, padding: spec.padding });
    case 'dropout':
      return tfl.layers.dropout({ ...shape, rate: spec.rate, seed });
    case 'flatten':
      return tfl.layers.flatten(shape);
    case 'dense':
      return tfl.layers.dense({ ...shape, units: spec.units, activation: spec.activation, kernelInitializer });
    case 'batchNormalization':
      return tfl.layers.batchNormalization(shape);
    case 'activation':
      return tfl.layers.activation({ ...shape, activation: spec.activation });
  }
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
    model.add(buildLayer(spec, seed + i, i === 0 ? [...input.shape] : undefined));
  });
  model.compile({ optimizer: createOptimizer(optimizer), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
