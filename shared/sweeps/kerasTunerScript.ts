import type { RunSpec } from '../apiTypes';
import { kerasDataLines, kerasLayer, kerasOptimizer } from '../layers/codeExport';
import type { LayerSpec } from '../layers/layerSpec';
import type { RandomAxis, SweepSpec } from './sweepPlan';
import { sweepSettings, type SweepSettingName } from './sweepSettings';

// A sweep as a KerasTuner script: the same design, the same search space and objective, for a
// user whose sweep outgrows one desktop to run with KerasTuner's distributed tuning.

const py = (value: number | string) => (typeof value === 'string' ? `'${value}'` : String(value));
/** The Python variable a setting's value is held in, inside build_model. */
const variable = (name: SweepSettingName) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** One axis as a KerasTuner hyperparameter: every grid value as hp.Choice, a random range as hp.Int or hp.Float. */
function hyperparameter(name: SweepSettingName, axis: { values: (number | string)[] } | RandomAxis): string {
  if ('values' in axis) return `hp.Choice('${name}', [${axis.values.map(py).join(', ')}])`;
  if (axis.choices) return `hp.Choice('${name}', [${axis.choices.map(py).join(', ')}])`;
  const kind = sweepSettings[name].kind === 'integer' ? 'Int' : 'Float';
  return `hp.${kind}('${name}', ${axis.min}, ${axis.max}${axis.log ? ", sampling='log'" : ''})`;
}

/** Numbers no design uses, put where a swept layer setting goes and then replaced by its variable. */
const placeholders: Partial<Record<SweepSettingName, number>> = { dropout: 0.9876543, filters: 987651, kernelSize: 987652, units: 987653 };

/** The design's Keras layers, with each swept layer setting read from its variable. */
function layerLines(base: RunSpec, swept: SweepSettingName[]): string[] {
  let spec = base;
  const used = swept.filter((name) => placeholders[name] !== undefined);
  for (const name of used) spec = sweepSettings[name].apply(spec, placeholders[name]!);
  return spec.layers
    .filter((l): l is Exclude<LayerSpec, { type: 'input' }> => l.type !== 'input')
    .map((l) => used.reduce((line, name) => line.replaceAll(String(placeholders[name]), variable(name)), kerasLayer(l)));
}

/** Keras' augmentation for the base's (or the swept) shift and rotation, as in toKerasCode. */
function augmentationLines(base: RunSpec, swept: SweepSettingName[]): string[] {
  const sweeps = swept.includes('shift') || swept.includes('rotation');
  if (!sweeps && !base.settings.augmentation) return [];
  const shift = swept.includes('shift') ? 'shift / 28' : String(+((base.settings.augmentation?.maxShift ?? 0) / 28).toFixed(4));
  const turn = swept.includes('rotation') ? 'rotation / 360' : String(+((base.settings.augmentation?.maxRotationDegrees ?? 0) / 360).toFixed(4));
  return [`layers.RandomTranslation(${shift}, ${shift})`, `layers.RandomRotation(${turn})`];
}

function optimizerLine(base: RunSpec, swept: SweepSettingName[]): string {
  const rate = swept.includes('learningRate') ? 'learning_rate' : String(base.settings.optimizer.learningRate);
  if (!swept.includes('optimizer')) {
    const line = kerasOptimizer({ ...base.settings.optimizer, learningRate: 987654 });
    return `    optimizer = ${line.replace('987654', rate)}`;
  }
  const momentum = base.settings.optimizer.type === 'sgd' ? base.settings.optimizer.momentum : 0.9;
  const choices = `{'adam': keras.optimizers.Adam, 'sgd': lambda learning_rate: keras.optimizers.SGD(learning_rate=learning_rate, momentum=${momentum}), 'rmsprop': keras.optimizers.RMSprop}`;
  return `    optimizer = ${choices}[optimizer](learning_rate=${rate})`;
}

/** The KerasTuner script of a sweep: the seed's data, build_model(hp) over the same axes, and a tuner for the same objective and budget. */
export function toKerasTunerScript(spec: SweepSpec): string {
  const axes: [SweepSettingName, { values: (number | string)[] } | RandomAxis][] = [
    ...spec.grid.map((a) => [a.setting, a] as [SweepSettingName, typeof a]),
    ...(spec.random?.axes ?? []).map((a) => [a.setting, a] as [SweepSettingName, RandomAxis]),
  ];
  const swept = axes.map(([name]) => name);
  // Batch size and epochs are fit()'s; every other setting is the model's.
  const inFit = (name: SweepSettingName) => name === 'batchSize' || name === 'epochs';
  const inModel = axes.filter(([name]) => !inFit(name));
  const fitAxes = axes.filter(([name]) => inFit(name));
  const settings = spec.base.settings;
  const tuner = spec.random ? 'kt.RandomSearch' : 'kt.GridSearch';
  const validation = settings.validation.kind === 'test-set' ? 'validation_data=(x_test, y_test)' : `validation_split=${settings.validation.fraction}`;
  return [
    `# ${spec.name}: the MNIST Lab sweep as a KerasTuner search (pip install keras-tuner).`,
    '# One machine: python this_file.py. A cluster: start one chief and any number of workers with the same script and',
    '# KERASTUNER_TUNER_ID=chief (or tuner0, tuner1, …), KERASTUNER_ORACLE_IP and KERASTUNER_ORACLE_PORT set (KerasTuner distributed tuning).',
    '# Then bring the best model back: npm run import -- best.keras',
    'import keras_tuner as kt',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
    ...kerasDataLines(settings.seed),
    ...(settings.trainLimit ? [`x_train, y_train = x_train[:${settings.trainLimit}], y_train[:${settings.trainLimit}]`] : []),
    ...(settings.testLimit ? [`x_test, y_test = x_test[:${settings.testLimit}], y_test[:${settings.testLimit}]`] : []),
    '',
    '',
    'class MnistLabModel(kt.HyperModel):',
    '    def build(self, hp):',
    ...inModel.map(([name, axis]) => `        ${variable(name)} = ${hyperparameter(name, axis)}`),
    '        model = keras.Sequential([',
    '            keras.Input(shape=(28, 28, 1)),',
    ...[...augmentationLines(spec.base, swept), ...layerLines(spec.base, swept)].map((line) => `            ${line},`),
    '        ])',
    optimizerLine(spec.base, swept).replace(/^ {4}/, '        '),
    "        model.compile(loss='categorical_crossentropy', optimizer=optimizer, metrics=['accuracy'])",
    '        return model',
    '',
    '    def fit(self, hp, model, *args, **kwargs):',
    ...fitAxes.map(([name, axis]) => `        ${variable(name)} = ${hyperparameter(name, axis)}`),
    `        return model.fit(*args, batch_size=${swept.includes('batchSize') ? 'batch_size' : settings.batchSize}, epochs=${swept.includes('epochs') ? 'epochs' : settings.epochs}, **kwargs)`,
    '',
    '',
    `tuner = ${tuner}(MnistLabModel(), objective='val_accuracy', max_trials=${spec.maxRuns}, directory='keras_tuner', project_name=${py(spec.name.replace(/[^\w-]/g, '_'))})`,
    `callbacks = [${settings.earlyStopping ? `keras.callbacks.EarlyStopping(monitor='val_loss', patience=${settings.earlyStopping.patience}, restore_best_weights=True)` : ''}]`,
    `tuner.search(x_train, y_train, ${validation}, callbacks=callbacks)`,
    'tuner.results_summary()',
    "tuner.get_best_models(1)[0].save('best.keras')",
    '',
  ].join('\n');
}
