import { describe, expect, it } from 'vitest';
import { designFileText, parseDesignFile, type Design } from '../../shared/designs/designFile';
import { toKerasCode } from '../../shared/layers/codeExport';
import { analyzeStack } from '../../shared/layers/inferShapes';
import { formatBytes, summarizeModel } from '../../shared/layers/modelSummary';
import { findPreset } from '../../shared/layers/presets';
import { toTfjsCode } from '../../shared/layers/tfjsCodeExport';
import { DesignHistory } from '../../renderer/features/designer/designHistory';
import { duplicateLayer, insertLayer, moveLayer, removeLayer, updateLayer } from '../../renderer/features/designer/stackEdits';
import { preferredLanguage, translate } from '../../renderer/lib/i18n/messages';

function summaryOf(presetId: string) {
  const preset = findPreset(presetId)!;
  const analysis = analyzeStack(preset.layers);
  if (!analysis.ok) throw new Error(`${presetId} should be valid`);
  return summarizeModel(analysis.layers, preset.settings.batchSize);
}

describe("the designer's Keras-style summary", () => {
  it('lists the seed CNN as model.summary() does, 1,199,882 parameters', () => {
    const summary = summaryOf('seed-cnn');
    expect(summary.rows).toEqual([
      { name: 'conv2d (Conv2D)', outputShape: '(None, 26, 26, 32)', params: 320 },
      { name: 'conv2d_1 (Conv2D)', outputShape: '(None, 24, 24, 64)', params: 18_496 },
      { name: 'max_pooling2d (MaxPooling2D)', outputShape: '(None, 12, 12, 64)', params: 0 },
      { name: 'dropout (Dropout)', outputShape: '(None, 12, 12, 64)', params: 0 },
      { name: 'flatten (Flatten)', outputShape: '(None, 9216)', params: 0 },
      { name: 'dense (Dense)', outputShape: '(None, 128)', params: 1_179_776 },
      { name: 'dropout_1 (Dropout)', outputShape: '(None, 128)', params: 0 },
      { name: 'dense_1 (Dense)', outputShape: '(None, 10)', params: 1_290 },
    ]);
    expect(summary).toMatchObject({ totalParams: 1_199_882, trainableParams: 1_199_882, nonTrainableParams: 0, weightBytes: 4_799_528 });
    // 21,632 + 36,864 + 9,216 × 3 + 128 × 2 + 10 values per image, 200 images, 4 bytes each.
    expect(summary.activationBytesPerBatch).toBe((21_632 + 36_864 + 9_216 * 3 + 128 * 2 + 10) * 200 * 4);
    expect(formatBytes(summary.weightBytes)).toBe('4.6 MB');
  });

  it('counts the seed baseline as 407,050 parameters and BatchNorm as Keras does', () => {
    expect(summaryOf('seed-mlp').totalParams).toBe(407_050);
    const deep = summaryOf('deep-cnn');
    expect(deep.nonTrainableParams).toBe(2 * (32 + 32 + 64 + 64));
    expect(deep.rows[1]).toEqual({ name: 'batch_normalization (BatchNormalization)', outputShape: '(None, 28, 28, 32)', params: 128 });
  });
});

describe('"Show code" for the seed presets means what the seed means', () => {
  const keras = (presetId: string) => {
    const preset = findPreset(presetId)!;
    return toKerasCode(preset.layers, preset.settings).split('\n');
  };
  /** The seed's model, compile and fit, line by line (seed/README.md). */
  const seedTraining = [
    "model.compile(loss='categorical_crossentropy', optimizer=keras.optimizers.Adam(learning_rate=0.001), metrics=['accuracy'])",
    "checkpoint = keras.callbacks.ModelCheckpoint('best.keras', monitor='val_loss', save_best_only=True, verbose=1)",
    "early_stopping = keras.callbacks.EarlyStopping(monitor='val_loss', patience=10)",
    'history = model.fit(x_train, y_train, validation_data=(x_test, y_test), epochs=30, batch_size=200, callbacks=[checkpoint, early_stopping])',
  ];

  it('the CNN: Conv2D 32 → Conv2D 64 → MaxPooling 2×2 → Dropout 0.25 → Flatten → Dense 128 → Dropout 0.5 → Dense 10 softmax', () => {
    const lines = keras('seed-cnn');
    const model = lines.slice(lines.indexOf('model = keras.Sequential([') + 1, lines.indexOf('])'));
    expect(model).toEqual([
      '    keras.Input(shape=(28, 28, 1)),',
      "    layers.Conv2D(32, (3, 3), activation='relu'),",
      "    layers.Conv2D(64, (3, 3), activation='relu'),",
      '    layers.MaxPooling2D(pool_size=(2, 2)),',
      '    layers.Dropout(0.25),',
      '    layers.Flatten(),',
      "    layers.Dense(128, activation='relu'),",
      '    layers.Dropout(0.5),',
      "    layers.Dense(10, activation='softmax'),",
    ]);
    for (const line of seedTraining) expect(lines).toContain(line);
    expect(lines).toContain("x_train = x_train.reshape(-1, 28, 28, 1).astype('float32') / 255");
    expect(lines).toContain('y_train = keras.utils.to_categorical(y_train, 10)');
  });

  it('the baseline: 784 inputs → Dense 512 relu → Dense 10 softmax, with the same training', () => {
    const lines = keras('seed-mlp');
    expect(lines.slice(lines.indexOf('model = keras.Sequential([') + 1, lines.indexOf('])'))).toEqual([
      '    keras.Input(shape=(28, 28, 1)),',
      '    layers.Flatten(),',
      "    layers.Dense(512, activation='relu'),",
      "    layers.Dense(10, activation='softmax'),",
    ]);
    for (const line of seedTraining) expect(lines).toContain(line);
  });

  it('the deep CNN brings its augmentation and BatchNorm along', () => {
    const lines = keras('deep-cnn');
    expect(lines).toContain('    layers.RandomTranslation(0.0714, 0.0714),');
    expect(lines).toContain('    layers.BatchNormalization(),');
    expect(lines.some((l) => l.includes('batch_size=128') && l.includes('epochs=30'))).toBe(true);
  });

  it('TensorFlow.js code builds the same layers and settings', () => {
    const preset = findPreset('seed-cnn')!;
    const code = toTfjsCode(preset.layers, preset.settings);
    expect(code).toContain(
      "model.add(tf.layers.conv2d({'inputShape': [28, 28, 1], 'filters': 32, 'kernelSize': 3, 'strides': 1, 'padding': 'valid', 'activation': 'relu'}));",
    );
    expect(code).toContain("model.add(tf.layers.dense({'units': 10, 'activation': 'softmax'}));");
    expect(code).toContain("model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });");
    expect(code).toContain("tf.callbacks.earlyStopping({ monitor: 'val_loss', patience: 10 })");
    expect(code).toContain('epochs: 30, batchSize: 200, validationData: [xTest, yTest]');
  });
});

describe('design files', () => {
  const preset = findPreset('seed-cnn')!;
  const design: Design = {
    format: 'mnist-lab-design',
    version: 1,
    name: 'My CNN',
    presetId: 'seed-cnn',
    layers: preset.layers,
    settings: preset.settings,
    backend: 'auto',
  };

  it('round-trip', () => {
    expect(parseDesignFile(designFileText(design))).toEqual(design);
  });

  it('a bad file gets an error that says what is wrong', () => {
    expect(() => parseDesignFile('{ nope')).toThrow(/^the file is not JSON/);
    expect(() => parseDesignFile('{"layers": []}')).toThrow('the file is not an MNIST Lab design (it has no "format": "mnist-lab-design")');
    const broken = { ...design, layers: [design.layers[0], { type: 'conv2d', filters: -3 }] };
    expect(() => parseDesignFile(JSON.stringify(broken))).toThrow(/^the design is damaged: layers\.1\./);
  });
});

describe('editing a stack', () => {
  const stack = findPreset('seed-cnn')!.layers;
  const types = (layers: readonly { type: string }[]) => layers.map((l) => l.type);

  it('inserts, moves, duplicates and removes, never touching the input', () => {
    expect(types(insertLayer(stack, { type: 'batchNormalization' }, 2)).slice(0, 4)).toEqual(['input', 'conv2d', 'batchNormalization', 'conv2d']);
    expect(types(insertLayer(stack, { type: 'flatten' }, 0))[0]).toBe('input');
    expect(types(moveLayer(stack, 5, 1)).slice(0, 3)).toEqual(['input', 'flatten', 'conv2d']);
    expect(types(moveLayer(stack, 1, 3)).slice(0, 5)).toEqual(['input', 'conv2d', 'maxPooling2d', 'conv2d', 'dropout']);
    expect(moveLayer(stack, 0, 3)).toEqual(stack);
    expect(types(duplicateLayer(stack, 4)).slice(4, 6)).toEqual(['dropout', 'dropout']);
    expect(removeLayer(stack, 0)).toEqual(stack);
    expect(removeLayer(stack, 8)).toHaveLength(8);
    expect(updateLayer(stack, 1, { filters: 8 })[1]).toMatchObject({ type: 'conv2d', filters: 8, kernelSize: 3 });
  });

  it('undoes and redoes whole designs, merging quick edits of one field into one step', () => {
    const preset = findPreset('seed-cnn')!;
    const design = (name: string): Design => ({
      format: 'mnist-lab-design',
      version: 1,
      name,
      presetId: null,
      layers: preset.layers,
      settings: preset.settings,
      backend: 'auto',
    });
    const history = new DesignHistory();
    history.record(design('a'), 'name', 0);
    history.record(design('ab'), 'name', 300); // typing on: the same step
    history.record(design('abc'), null, 5000);
    expect(history.undo(design('abcd'))!.name).toBe('abc');
    expect(history.undo(design('abc'))!.name).toBe('a');
    expect(history.canUndo).toBe(false);
    expect(history.redo(design('a'))!.name).toBe('abc');
  });
});

describe('the language', () => {
  it('follows the operating system when the app speaks it, else English', () => {
    expect(preferredLanguage(['ko-KR', 'en-US'])).toBe('ko');
    expect(preferredLanguage(['de-DE', 'en-GB'])).toBe('en');
    expect(preferredLanguage(['fr'])).toBe('en');
    expect(translate('ko', 'layer.flatten')).toMatch(/^평탄화/);
  });
});
