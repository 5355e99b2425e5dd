import type { TrainingSettings } from '../training/trainingSettings';
import type { LayerSpec, LayerStack } from './layerSpec';
import { layerTypeNames } from './layerNames';

// The design as code a learner can carry to a notebook: Keras (Python) the way the seed writes
// it, and TensorFlow.js. Both mean the same model, compile settings and fit loop as a run here.

const py = (value: string | number) => (typeof value === 'string' ? `'${value}'` : String(value));
const activationArg = (activation: string) => (activation === 'linear' ? '' : `, activation=${py(activation)}`);

/** One Keras layer line (without indentation), e.g. `layers.Conv2D(32, (3, 3), activation='relu')`. */
export function kerasLayer(layer: Exclude<LayerSpec, { type: 'input' }>): string {
  const name = layerTypeNames[layer.type];
  switch (layer.type) {
    case 'conv2d': {
      const strides = layer.strides === 1 ? '' : `, strides=(${layer.strides}, ${layer.strides})`;
      const padding = layer.padding === 'valid' ? '' : `, padding='same'`;
      return `layers.Conv2D(${layer.filters}, (${layer.kernelSize}, ${layer.kernelSize})${strides}${padding}${activationArg(layer.activation)})`;
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const strides = layer.strides === undefined ? '' : `, strides=(${layer.strides}, ${layer.strides})`;
      const padding = layer.padding === 'valid' ? '' : `, padding='same'`;
      return `layers.${name}(pool_size=(${layer.poolSize}, ${layer.poolSize})${strides}${padding})`;
    }
    case 'dropout':
      return `layers.Dropout(${layer.rate})`;
    case 'flatten':
      return 'layers.Flatten()';
    case 'dense':
      return `layers.Dense(${layer.units}${activationArg(layer.activation)})`;
    case 'batchNormalization':
      return 'layers.BatchNormalization()';
    case 'activation':
      return `layers.Activation(${py(layer.activation)})`;
  }
}

export function kerasOptimizer(optimizer: TrainingSettings['optimizer']): string {
  switch (optimizer.type) {
    case 'adam':
      return `keras.optimizers.Adam(learning_rate=${optimizer.learningRate})`;
    case 'sgd':
      return `keras.optimizers.SGD(learning_rate=${optimizer.learningRate}, momentum=${optimizer.momentum})`;
    case 'rmsprop':
      return `keras.optimizers.RMSprop(learning_rate=${optimizer.learningRate})`;
  }
}

/** Keras' augmentation layers for ours: shifts as a fraction of the 28-pixel side, rotations as a fraction of a turn. */
function kerasAugmentation(settings: TrainingSettings): string[] {
  const a = settings.augmentation;
  if (!a) return [];
  const shift = +(a.maxShift / 28).toFixed(4);
  const turn = +(a.maxRotationDegrees / 360).toFixed(4);
  return [`layers.RandomTranslation(${shift}, ${shift})`, `layers.RandomRotation(${turn})`];
}

/** The seed's data, as a Keras script loads and prepares it: pixels / 255, one-hot labels. */
export function kerasDataLines(seed: number): string[] {
  return [
    `keras.utils.set_random_seed(${seed})`,
    '(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()',
    "x_train = x_train.reshape(-1, 28, 28, 1).astype('float32') / 255",
    "x_test = x_test.reshape(-1, 28, 28, 1).astype('float32') / 255",
    'y_train = keras.utils.to_categorical(y_train, 10)',
    'y_test = keras.utils.to_categorical(y_test, 10)',
  ];
}

/** The design as a Keras script: data as the seed prepares it, the model, compile, checkpoint, early stopping, fit, evaluate. */
export function toKerasCode(stack: LayerStack, settings: TrainingSettings): string {
  const layerLines = [
    ...kerasAugmentation(settings),
    ...stack.filter((l) => l.type !== 'input').map((l) => kerasLayer(l as Exclude<LayerSpec, { type: 'input' }>)),
  ];
  const validation = settings.validation.kind === 'test-set' ? 'validation_data=(x_test, y_test)' : `validation_split=${settings.validation.fraction}`;
  const callbacks = ['checkpoint', ...(settings.earlyStopping ? ['early_stopping'] : [])];
  return [
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
    ...kerasDataLines(settings.seed),
    '',
    'model = keras.Sequential([',
    '    keras.Input(shape=(28, 28, 1)),',
    ...layerLines.map((line) => `    ${line},`),
    '])',
    `model.compile(loss='categorical_crossentropy', optimizer=${kerasOptimizer(settings.optimizer)}, metrics=['accuracy'])`,
    'model.summary()',
    '',
    "checkpoint = keras.callbacks.ModelCheckpoint('best.keras', monitor='val_loss', save_best_only=True, verbose=1)",
    ...(settings.earlyStopping ? [`early_stopping = keras.callbacks.EarlyStopping(monitor='val_loss', patience=${settings.earlyStopping.patience})`] : []),
    `history = model.fit(x_train, y_train, ${validation}, epochs=${settings.epochs}, batch_size=${settings.batchSize}, callbacks=[${callbacks.join(', ')}])`,
    '',
    "model = keras.models.load_model('best.keras')",
    "print('Test Accuracy: %.4f' % model.evaluate(x_test, y_test)[1])",
    '',
  ].join('\n');
}
