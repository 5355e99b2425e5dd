import type { TrainingSettings } from '../training/trainingSettings';
import type { LayerSpec, LayerStack } from './layerSpec';

const js = (value: unknown) => JSON.stringify(value).replace(/"/g, "'");

/** The tfjs layer factory and its arguments for one layer; the first gets the input shape. */
function tfjsLayer(layer: Exclude<LayerSpec, { type: 'input' }>, first: boolean): string {
  const input = first ? { inputShape: [28, 28, 1] } : {};
  const args = (fields: object) =>
    js({ ...input, ...fields })
      .replace(/,/g, ', ')
      .replace(/:/g, ': ');
  switch (layer.type) {
    case 'conv2d':
      return `tf.layers.conv2d(${args({ filters: layer.filters, kernelSize: layer.kernelSize, strides: layer.strides, padding: layer.padding, activation: layer.activation })})`;
    case 'maxPooling2d':
    case 'averagePooling2d':
      return `tf.layers.${layer.type}(${args({ poolSize: layer.poolSize, strides: layer.strides ?? layer.poolSize, padding: layer.padding })})`;
    case 'dropout':
      return `tf.layers.dropout(${args({ rate: layer.rate })})`;
    case 'flatten':
      return `tf.layers.flatten(${first ? args({}) : ''})`;
    case 'dense':
      return `tf.layers.dense(${args({ units: layer.units, activation: layer.activation })})`;
    case 'batchNormalization':
      return `tf.layers.batchNormalization(${first ? args({}) : ''})`;
    case 'activation':
      return `tf.layers.activation(${args({ activation: layer.activation })})`;
  }
}

function tfjsOptimizer(optimizer: TrainingSettings['optimizer']): string {
  switch (optimizer.type) {
    case 'adam':
      return `tf.train.adam(${optimizer.learningRate})`;
    case 'sgd':
      return optimizer.momentum > 0 ? `tf.train.momentum(${optimizer.learningRate}, ${optimizer.momentum})` : `tf.train.sgd(${optimizer.learningRate})`;
    case 'rmsprop':
      return `tf.train.rmsprop(${optimizer.learningRate})`;
  }
}

/** The design as TensorFlow.js (Node): the model, compile, a save-best checkpoint, early stopping and fit. */
export function toTfjsCode(stack: LayerStack, settings: TrainingSettings): string {
  const layers = stack.filter((l) => l.type !== 'input') as Exclude<LayerSpec, { type: 'input' }>[];
  const validation = settings.validation.kind === 'test-set' ? 'validationData: [xTest, yTest]' : `validationSplit: ${settings.validation.fraction}`;
  return [
    "import * as tf from '@tensorflow/tfjs-node';",
    '',
    '// xTrain [60000, 28, 28, 1] and xTest as float32 / 255; yTrain and yTest one-hot [n, 10].',
    'const model = tf.sequential();',
    ...layers.map((layer, i) => `model.add(${tfjsLayer(layer, i === 0)});`),
    `model.compile({ optimizer: ${tfjsOptimizer(settings.optimizer)}, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });`,
    'model.summary();',
    '',
    "// Keras' ModelCheckpoint(save_best_only=True): save whenever val_loss improves.",
    'let bestValLoss = Infinity;',
    'const checkpoint = new tf.CustomCallback({',
    '  onEpochEnd: async (epoch, logs) => {',
    '    if (logs.val_loss < bestValLoss) {',
    '      bestValLoss = logs.val_loss;',
    "      await model.save('file://./best-model');",
    '    }',
    '  },',
    '});',
    ...(settings.earlyStopping
      ? [`const earlyStopping = tf.callbacks.earlyStopping({ monitor: 'val_loss', patience: ${settings.earlyStopping.patience} });`]
      : []),
    `await model.fit(xTrain, yTrain, { epochs: ${settings.epochs}, batchSize: ${settings.batchSize}, ${validation}, shuffle: true, callbacks: [checkpoint${settings.earlyStopping ? ', earlyStopping' : ''}] });`,
    '',
    "const best = await tf.loadLayersModel('file://./best-model/model.json');",
    "best.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });",
    "console.log('Test accuracy', (await best.evaluate(xTest, yTest)[1].data())[0]);",
    '',
  ].join('\n');
}
