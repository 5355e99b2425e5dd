import { inputShape } from '../mnist';
import type { LayerSpec, LayerStack } from './layerSpec';
import type { TrainingSettings } from '../training/trainingSettings';

export interface Preset {
  id: string;
  name: string;
  description: string;
  layers: LayerStack;
  settings: TrainingSettings;
}

const input: LayerSpec = { type: 'input', shape: [inputShape[0], inputShape[1], inputShape[2]] };
const softmax10: LayerSpec = { type: 'dense', units: 10, activation: 'softmax' };

/** The deep CNN's building block: a same-padded 3×3 convolution, BatchNorm, then ReLU. */
function convBatchNormRelu(filters: number): LayerSpec[] {
  return [
    { type: 'conv2d', filters, kernelSize: 3, strides: 1, padding: 'same', activation: 'linear' },
    { type: 'batchNormalization' },
    { type: 'activation', activation: 'relu' },
  ];
}

/** The seed's compile and fit settings: Adam, batch 200, 30 epochs, test set as validation, patience 10. */
export const seedSettings: TrainingSettings = {
  optimizer: { type: 'adam', learningRate: 0.001 },
  batchSize: 200,
  epochs: 30,
  validation: { kind: 'test-set' },
  earlyStopping: { patience: 10 },
  augmentation: null,
  threads: null,
  seed: 42,
  trainLimit: null,
  testLimit: null,
};

export const presets: readonly Preset[] = [
  {
    id: 'seed-mlp',
    name: 'Seed baseline (Dense 512)',
    description: "The tutorial's 'deep learning basic frame': 784 inputs → Dense 512 relu → Dense 10 softmax.",
    layers: [input, { type: 'flatten' }, { type: 'dense', units: 512, activation: 'relu' }, softmax10],
    settings: seedSettings,
  },
  {
    id: 'seed-cnn',
    name: 'Seed CNN',
    description: "The tutorial's CNN: two 3×3 convolutions, max pooling, dropout, Dense 128.",
    layers: [
      input,
      { type: 'conv2d', filters: 32, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
      { type: 'conv2d', filters: 64, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
      { type: 'maxPooling2d', poolSize: 2, padding: 'valid' },
      { type: 'dropout', rate: 0.25 },
      { type: 'flatten' },
      { type: 'dense', units: 128, activation: 'relu' },
      { type: 'dropout', rate: 0.5 },
      softmax10,
    ],
    settings: seedSettings,
  },
  {
    id: 'deep-cnn',
    name: 'Deep CNN (BatchNorm + augmentation)',
    description: 'Two blocks of two same-padded 3×3 convolutions with BatchNorm, trained on shifted and rotated digits.',
    layers: [
      input,
      ...convBatchNormRelu(32),
      ...convBatchNormRelu(32),
      { type: 'maxPooling2d', poolSize: 2, padding: 'valid' },
      { type: 'dropout', rate: 0.25 },
      ...convBatchNormRelu(64),
      ...convBatchNormRelu(64),
      { type: 'maxPooling2d', poolSize: 2, padding: 'valid' },
      { type: 'dropout', rate: 0.25 },
      { type: 'flatten' },
      { type: 'dense', units: 256, activation: 'relu' },
      { type: 'dropout', rate: 0.5 },
      softmax10,
    ],
    settings: {
      ...seedSettings,
      batchSize: 128,
      epochs: 30,
      earlyStopping: { patience: 8 },
      augmentation: { maxShift: 2, maxRotationDegrees: 10 },
    },
  },
];

export function findPreset(id: string): Preset | undefined {
  return presets.find((p) => p.id === id);
}
