import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { hdf5MemoryBytes } from '../../main/core/fileFormats/hdf5/hdf5Library';
import { Hdf5FormatError, openHdf5 } from '../../main/core/fileFormats/hdf5/readHdf5';
import { writeHdf5 } from '../../main/core/fileFormats/hdf5/writeHdf5';
import { kerasH5FromCheckpoint } from '../../main/core/fileFormats/keras/writeKerasH5';
import { readZip, ZipFormatError } from '../../main/core/fileFormats/zip/readZip';
import { writeZip } from '../../main/core/fileFormats/zip/writeZip';
import { kerasSavedLayerKeys, planFromKerasConfig, UnsupportedModelError } from '../../main/core/modelImport/kerasModelConfig';
import { readModelFiles } from '../../main/core/modelImport/modelFiles';
import { linearModel } from '../fixtures/linearModel';
import { tempDir } from './tempDir';

// The readers behind model import, on their own: HDF5, zip, and Keras configs of every shape a
// user may bring, down to hostile bytes. (modelFiles.test.ts imports whole trained models.)

/** A small Keras model in tfjs' layers format: Flatten, then Dense 10 softmax with weights 0, 1, 2, …. */
function smallCheckpoint() {
  return linearModel(
    'dense_Dense1',
    Float32Array.from({ length: 7840 }, (_, i) => i / 7840),
    Float32Array.from({ length: 10 }, (_, i) => -i),
  );
}

const sequential = (layers: unknown[]) => ({ class_name: 'Sequential', config: { name: 's', layers } });
const input = { class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28, 1], name: 'input' } };
const dense = (name: string, units: number, activation = 'relu') => ({ class_name: 'Dense', config: { name, units, activation, use_bias: true } });
const flatten = { class_name: 'Flatten', config: { name: 'flatten' } };

describe('the HDF5 reader', () => {
  it('reads groups, string attributes and float datasets as the writer laid them out', async () => {
    const values = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 2);
    const bytes = await writeHdf5({
      kind: 'group',
      attributes: [
        ['title', 'a model'],
        ['names', ['conv2d', 'dense_1']],
        ['empty', []],
      ],
      children: [['weights', { kind: 'group', attributes: [], children: [['kernel:0', { kind: 'dataset', shape: [3, 4], values }]] }]],
    });
    const file = await openHdf5(bytes);
    const root = file.root;
    expect(root.attribute('title')).toBe('a model');
    expect(root.attribute('names')).toEqual(['conv2d', 'dense_1']);
    expect(root.attribute('empty')).toBeNull();
    expect(root.attribute('missing')).toBeNull();
    expect(root.childNames()).toEqual(['weights']);
    const kernel = root.child('weights/kernel:0');
    expect(kernel?.kind).toBe('dataset');
    if (kernel?.kind !== 'dataset') return;
    expect(kernel.shape).toEqual([3, 4]);
    expect(kernel.read()).toEqual(values);
    expect(root.child('weights/nothing')).toBeNull();
    file.close();
  });

  it('refuses what is not HDF5, and a truncated file, with the reason', async () => {
    await expect(openHdf5(new TextEncoder().encode('just text, no signature'))).rejects.toThrow(/not an HDF5 file/);
    const { modelJson, weightData } = smallCheckpoint();
    const file = await kerasH5FromCheckpoint(modelJson, weightData);
    await expect(openHdf5(file.subarray(0, 600))).rejects.toThrow(Hdf5FormatError);
  });
});

describe('reading a model file', () => {
  it("reads MNIST Lab's Keras .h5 and tfjs zip into the same layers and weights", async () => {
    const { modelJson, weightData } = smallCheckpoint();
    const h5 = await readModelFiles([{ name: 'small.h5', bytes: await kerasH5FromCheckpoint(modelJson, weightData) }]);
    const zip = await readModelFiles([
      {
        name: 'small.zip',
        bytes: writeZip([
          { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(modelJson)) },
          { name: 'weights.bin', bytes: new Uint8Array(weightData) },
        ]),
      },
    ]);
    const separate = await readModelFiles([
      { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(modelJson)) },
      { name: 'weights.bin', bytes: new Uint8Array(weightData) },
    ]);
    expect(h5.format).toBe('keras-h5');
    expect(zip.format).toBe('tfjs');
    expect(h5.plan.layers).toEqual([{ type: 'input', shape: [28, 28, 1] }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }]);
    for (const model of [zip, separate]) {
      expect(model.plan).toEqual(h5.plan);
      expect(model.weights.map((w) => w.shape)).toEqual([[784, 10], [10]]);
      expect(model.weights[1]!.values).toEqual(h5.weights[1]!.values);
      expect(model.weights[0]!.values).toEqual(new Float32Array(weightData, 0, 7840));
    }
  });

  it("decodes tfjs-converter's quantized weights: uint8 and uint16 with scale and min, and float16", async () => {
    const { modelJson } = smallCheckpoint();
    const kernelBytes = Uint8Array.from({ length: 7840 }, (_, i) => i % 256);
    // float16: 1.5, −2, 0, then 65504 (the largest half) and a subnormal, then zeros.
    const bias = new Uint16Array([0x3e00, 0xc000, 0x0000, 0x7bff, 0x0001, 0, 0, 0, 0, 0]);
    const quantized = structuredClone(modelJson);
    const [kernel, biasSpec] = quantized.weightsManifest[0]!.weights;
    Object.assign(kernel!, { quantization: { dtype: 'uint8', scale: 0.01, min: -1 } });
    Object.assign(biasSpec!, { quantization: { dtype: 'float16' } });
    const weights = new Uint8Array(7840 + 20);
    weights.set(kernelBytes);
    weights.set(new Uint8Array(bias.buffer), 7840);
    const model = await readModelFiles([
      { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(quantized)) },
      { name: 'weights.bin', bytes: weights },
    ]);
    expect(model.weights[0]!.values[300]).toBeCloseTo((300 % 256) * 0.01 - 1, 6);
    expect(Array.from(model.weights[1]!.values.subarray(0, 5))).toEqual([1.5, -2, 0, 65504, 2 ** -24]);

    Object.assign(kernel!, { quantization: { dtype: 'uint16', scale: 0.5, min: 0 } });
    const sixteen = new Uint8Array(7840 * 2 + 20);
    new DataView(sixteen.buffer).setUint16(2 * 10, 1234, true);
    sixteen.set(new Uint8Array(bias.buffer), 7840 * 2);
    const wide = await readModelFiles([
      { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(quantized)) },
      { name: 'weights.bin', bytes: sixteen },
    ]);
    expect(wide.weights[0]!.values[10]).toBe(617);
    Object.assign(kernel!, { quantization: { dtype: 'uint8' } });
    await expect(
      readModelFiles([
        { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(quantized)) },
        { name: 'weights.bin', bytes: weights },
      ]),
    ).rejects.toThrow(/quantized without a usable scale and min/);
  });

  it('says what is missing: weights files of a model.json, weights of a layer, or the model in a weights-only file', async () => {
    const { modelJson, weightData } = smallCheckpoint();
    const json = { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(modelJson)) };
    await expect(readModelFiles([json])).rejects.toThrow(/needs the weights file weights\.bin; choose it together with model\.json/);
    await expect(readModelFiles([json, { name: 'weights.bin', bytes: new Uint8Array(100) }])).rejects.toThrow(/fewer than model\.json lists/);
    const weightsOnly = await writeHdf5({ kind: 'group', attributes: [['layer_names', ['dense']]], children: [] });
    await expect(readModelFiles([{ name: 'w.h5', bytes: weightsOnly }])).rejects.toThrow(/weights only.*model\.save\("model\.h5"\)/);
    await expect(readModelFiles([{ name: 'photo.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) }])).rejects.toThrow(/not a model file/);
    const graphModel = { format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] };
    await expect(readModelFiles([{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(graphModel)) }])).rejects.toThrow(
      /a tfjs graph model .* convert the Keras model instead/,
    );
    await expect(
      readModelFiles([
        { name: 'a.bin', bytes: new Uint8Array(weightData) },
        { name: 'b.bin', bytes: new Uint8Array(4) },
      ]),
    ).rejects.toThrow(/none is a model\.json/);
  });

  it('survives hostile bytes: every damaged copy of a model file is read or refused with a format error', async () => {
    const { modelJson, weightData } = smallCheckpoint();
    const h5 = await kerasH5FromCheckpoint(modelJson, weightData);
    const zip = writeZip([
      { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(modelJson)) },
      { name: 'weights.bin', bytes: new Uint8Array(weightData) },
    ]);
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Damage lands in the headers, where the structure is: the first 2 KiB of either file.
    for (let trial = 0; trial < 600; trial++) {
      const source = trial % 2 === 0 ? h5 : zip;
      const bytes = source.slice(0, trial % 7 === 0 ? Math.floor(random() * source.length) : source.length);
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--)
        bytes[Math.floor(random() * Math.min(2048, bytes.length))] = Math.floor(random() * 256);
      try {
        await readModelFiles([{ name: trial % 2 === 0 ? 'm.h5' : 'm.zip', bytes }]);
      } catch (error) {
        if (!(error instanceof Hdf5FormatError || error instanceof ZipFormatError || error instanceof UnsupportedModelError))
          throw new Error(`trial ${trial}: ${(error as Error).stack}`);
      }
    }
  });
});

describe('the zip reader', () => {
  it('finds a damaged entry by its checksum, and refuses to unpack past its limit', () => {
    // Stored, not deflated, so the damaged byte reaches the checksum rather than the inflater.
    const archive = zipSync({ 'model.json': new TextEncoder().encode('{"a": 1}') }, { level: 0 });
    expect(readZip(archive, 1000).map((e) => e.name)).toEqual(['model.json']);
    const damaged = archive.slice();
    damaged[30 + 'model.json'.length] = 0x5b;
    expect(() => readZip(damaged, 1000)).toThrow(/model\.json is damaged: its checksum does not match/);
    expect(() => readZip(archive, 4)).toThrow(/unpacks to more than/);
    expect(() => readZip(new Uint8Array(40), 1000)).toThrow(/not a zip archive/);
  });
});

describe('turning a Keras config into layers', () => {
  it('takes Keras 3 functional models that are one chain, and refuses branches', () => {
    const history = (name: string) => [
      { args: [{ class_name: '__keras_tensor__', config: { shape: [null, 28, 28, 1], keras_history: [name, 0, 0] } }], kwargs: {} },
    ];
    const layers = [
      { class_name: 'InputLayer', config: { batch_shape: [null, 28, 28, 1], name: 'image' }, inbound_nodes: [] },
      {
        class_name: 'Conv2D',
        config: {
          name: 'conv',
          filters: 8,
          kernel_size: [3, 3],
          strides: [1, 1],
          padding: 'same',
          activation: 'relu',
          use_bias: true,
          data_format: 'channels_last',
        },
        inbound_nodes: history('image'),
      },
      { ...flatten, inbound_nodes: history('conv') },
      { ...dense('out', 10, 'softmax'), inbound_nodes: history('flatten') },
    ];
    const plan = planFromKerasConfig({ class_name: 'Functional', config: { name: 'f', layers } });
    expect(plan.layers.map((l) => l.type)).toEqual(['input', 'conv2d', 'flatten', 'dense']);
    expect(plan.sourceNames).toEqual(['conv', 'flatten', 'out']);
    const branched = layers.map((l) => (l.config.name === 'out' ? { ...l, inbound_nodes: [...history('flatten'), ...history('conv')] } : l));
    expect(() => planFromKerasConfig({ class_name: 'Functional', config: { name: 'f', layers: branched } })).toThrow(
      /layer out does not simply follow flatten/,
    );
  });

  it("takes TensorFlow's beginner MNIST model, and leaves out layers that act only in training or rescale 0–255 pixels", () => {
    const beginner = planFromKerasConfig(
      sequential([
        { class_name: 'Flatten', config: { name: 'flatten', batch_input_shape: [null, 28, 28] } },
        dense('dense', 128),
        { class_name: 'Dropout', config: { name: 'dropout', rate: 0.2 } },
        dense('dense_1', 10, 'linear'),
      ]),
    );
    expect(beginner.layers).toEqual([
      { type: 'input', shape: [28, 28, 1] },
      { type: 'flatten' },
      { type: 'dense', units: 128, activation: 'relu' },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ]);
    const augmented = planFromKerasConfig(
      sequential([
        input,
        { class_name: 'RandomRotation', config: { name: 'random_rotation', factor: 0.05 } },
        {
          class_name: 'Sequential',
          config: {
            name: 'augmentation',
            layers: [
              { class_name: 'RandomTranslation', config: {} },
              { class_name: 'RandomZoom', config: {} },
            ],
          },
        },
        { class_name: 'Rescaling', config: { name: 'rescaling', scale: 1 / 255, offset: 0 } },
        flatten,
        dense('out', 10, 'softmax'),
      ]),
    );
    expect(augmented.layers.map((l) => l.type)).toEqual(['input', 'flatten', 'dense']);
    expect(augmented.sourceNames).toEqual(['flatten', 'out']);
    expect(augmented.notes).toEqual([
      'random_rotation (RandomRotation) acts only in training; it was left out.',
      'augmentation (RandomTranslation, RandomZoom) acts only in training; it was left out.',
      'rescaling (Rescaling by 1/255) was left out: MNIST Lab already feeds pixels as 0–1.',
    ]);
    expect(() =>
      planFromKerasConfig(sequential([input, { class_name: 'Rescaling', config: { name: 'r', scale: 2 } }, flatten, dense('out', 10, 'softmax')])),
    ).toThrow(/r: a Rescaling by 2 is not supported/);
  });

  it('finds where a .keras file keeps each layer: by class in snake case, numbered per class, whatever the layer is named', () => {
    const keys = kerasSavedLayerKeys(
      sequential([
        input,
        { class_name: 'Conv2D', config: { name: 'features' } },
        { class_name: 'Conv2D', config: { name: 'c2' } },
        { class_name: 'MaxPooling2D', config: { name: 'p' } },
        { class_name: 'BatchNormalization', config: { name: 'bn' } },
        dense('hidden', 64),
        dense('out', 10),
      ]),
    );
    expect(Object.fromEntries(keys)).toEqual({
      input: 'input_layer',
      features: 'conv2d',
      c2: 'conv2d_1',
      p: 'max_pooling2d',
      bn: 'batch_normalization',
      hidden: 'dense',
      out: 'dense_1',
    });
  });

  it('finds the input shape wherever Keras 2 or 3 put it', () => {
    const mlp = [dense('hidden', 32), dense('out', 10, 'softmax')];
    const stack = [
      { type: 'input', shape: [28, 28, 1] },
      { type: 'flatten' },
      { type: 'dense', units: 32, activation: 'relu' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ];
    // Keras 3: a built Sequential without an input layer keeps the shape in its entry's build_config.
    expect(planFromKerasConfig({ ...sequential(mlp), build_config: { input_shape: [null, 784] } }).layers).toEqual(stack);
    // …or in the first layer's entry.
    expect(planFromKerasConfig(sequential([{ ...mlp[0], build_config: { input_shape: [null, 784] } }, mlp[1]])).layers).toEqual(stack);
    // Keras 2: the model's config.build_input_shape.
    expect(planFromKerasConfig({ class_name: 'Sequential', config: { name: 's', layers: mlp, build_input_shape: [null, 784] } }).layers).toEqual(stack);
    expect(() => planFromKerasConfig(sequential(mlp))).toThrow(/does not say what input it takes/);
  });

  it("checks BatchNormalization's axis against its input: Keras 2 writes the last axis as an index once built", () => {
    const bn = (name: string, axis: unknown) => ({ class_name: 'BatchNormalization', config: { name, axis, epsilon: 0.001, center: true, scale: true } });
    const conv = { class_name: 'Conv2D', config: { name: 'c', filters: 4, kernel_size: 3, activation: 'relu' } };
    const plan = planFromKerasConfig(sequential([input, conv, bn('bn', [3]), flatten, dense('d', 16), bn('bn_1', [1]), dense('out', 10, 'softmax')]));
    expect(plan.layers.filter((l) => l.type === 'batchNormalization')).toHaveLength(2);
    expect(() => planFromKerasConfig(sequential([input, conv, bn('bn', 1), flatten, dense('out', 10, 'softmax')]))).toThrow(
      /bn: it normalises over axis 1; MNIST Lab's BatchNormalization normalises over the last axis \(3\)/,
    );
  });

  it('gives logits a softmax and says so', () => {
    const plan = planFromKerasConfig(sequential([input, flatten, dense('logits', 10, 'linear')]));
    expect(plan.layers.at(-1)).toEqual({ type: 'dense', units: 10, activation: 'softmax' });
    expect(plan.notes).toEqual([expect.stringMatching(/logits; a softmax was added/)]);
  });

  it.each([
    [sequential([input, { class_name: 'LSTM', config: { name: 'lstm', units: 4 } }]), /lstm: MNIST Lab has no LSTM layer/],
    [
      sequential([input, { class_name: 'Conv2D', config: { name: 'c', filters: 8, kernel_size: [3, 5], activation: 'relu' } }]),
      /c: its kernel size \[3,5\] is not square/,
    ],
    [sequential([input, flatten, dense('d', 64, 'gelu'), dense('out', 10, 'softmax')]), /d: activation "gelu" is not one MNIST Lab has/],
    [
      sequential([input, { class_name: 'Conv2D', config: { name: 'huge', filters: 5000, kernel_size: 3, activation: 'relu' } }]),
      /huge: filters: Invalid value/,
    ],
    [
      sequential([{ ...input, config: { batch_input_shape: [null, 32, 32, 3] } }, flatten, dense('out', 10, 'softmax')]),
      /input of shape \(32, 32, 3\); MNIST Lab's models read 28 × 28 × 1/,
    ],
    [sequential([input, flatten, dense('out', 5, 'softmax')]), /the last layer must output 10 values/],
    [
      sequential([input, { class_name: 'Dense', config: { name: 'nb', units: 10, activation: 'softmax', use_bias: false } }]),
      /nb: use_bias false is not supported/,
    ],
    [{ class_name: 'Sequential', config: {} }, /has no layer list/],
    [{ class_name: 'Subclassed', config: { layers: [] } }, /a Subclassed model cannot be imported/],
  ])('refuses what MNIST Lab cannot build, naming the layer and the reason (%#)', (config, message) => {
    expect(() => planFromKerasConfig(config)).toThrow(message);
  });
});

describe('a Keras 2 file written by h5py', () => {
  const python = '/usr/bin/python3';
  const h5py = spawnSync(python, ['-c', 'import h5py, numpy'], { encoding: 'utf8' }).status === 0;
  const dir = tempDir('h5py');
  const read = (name: string) => readModelFiles([{ name, bytes: readFileSync(join(dir, name)) }]);

  beforeAll(() => {
    if (!h5py) return;
    const script = `
import h5py, json, numpy as np, sys, zlib
config = {'class_name': 'Sequential', 'config': {'name': 's', 'layers': [
  {'class_name': 'Flatten', 'config': {'name': 'flatten', 'batch_input_shape': [None, 28, 28]}},
  {'class_name': 'Dense', 'config': {'name': 'dense', 'units': 10, 'activation': 'softmax', 'use_bias': True}}]}}
# Chunks of 10 x 3 leave partial chunks at both edges of the 784 x 10 kernel, and 316 of them
# need a B-tree of more than one level; gzip, shuffle and Fletcher-32 make a three-filter
# pipeline to undo. LZF is h5py's own filter, which is refused. libver='latest' keeps groups of
# more than 8 members, and more than 8 attributes, in dense storage (fractal heaps, v2 B-trees).
variants = [('plain.h5', {}, 'earliest'), ('gzip.h5', dict(chunks=(10, 3), compression='gzip', shuffle=True, fletcher32=True), 'earliest'),
            ('lzf.h5', dict(chunks=True, compression='lzf'), 'earliest'), ('dense.h5', dict(chunks=(100, 10), compression='gzip'), 'latest'),
            ('declared.h5', None, 'earliest'), ('inflating.h5', None, 'earliest')]
for name, storage, libver in variants:
  with h5py.File(sys.argv[1] + '/' + name, 'w', libver=libver) as f:
    f.attrs['model_config'] = json.dumps(config)
    for i in range(12): f.attrs['note_%d' % i] = 'an attribute Keras does not write'
    g = f.create_group('model_weights')
    g.attrs['layer_names'] = [b'flatten', b'dense']
    for layer in ['flatten', 'extra_0', 'extra_1', 'extra_2', 'extra_3', 'extra_4', 'extra_5', 'extra_6', 'extra_7', 'extra_8', 'dense']:
      g.create_group(layer).attrs['weight_names'] = np.array([], dtype='S1')
    g['dense'].attrs['weight_names'] = [b'dense/kernel:0', b'dense/bias:0']
    g['dense'].create_dataset('dense/bias:0', data=-np.arange(10, dtype=np.float16))
    if name == 'declared.h5':
      # A kernel declared as 1 GiB of floats in one gzip chunk, never written: the file stays small.
      g['dense'].create_dataset('dense/kernel:0', shape=(16384, 16384), dtype='f4', chunks=(16384, 16384), compression='gzip')
    elif name == 'inflating.h5':
      # The right shape, but its one chunk's gzip stream inflates to 512 MB instead of 31 KB.
      kernel = g['dense'].create_dataset('dense/kernel:0', shape=(784, 10), dtype='f4', chunks=(784, 10), compression='gzip')
      packer = zlib.compressobj(9)
      zeros = bytes(1 << 20)
      packed = b''.join(packer.compress(zeros) for _ in range(512)) + packer.flush()
      kernel.id.write_direct_chunk((0, 0), packed)
    else:
      g['dense'].create_dataset('dense/kernel:0', data=np.arange(7840, dtype=np.float64).reshape(784, 10) / 7840, **storage)
`;
    const written = spawnSync(python, ['-c', script, dir], { encoding: 'utf8' });
    expect(written.stderr).toBe('');
  }, 60_000);

  it.skipIf(!h5py)("reads HDF5's oldest layout, its newest (dense groups and attributes), and weights in gzip-compressed chunks", async () => {
    const model = await read('plain.h5');
    expect(model.plan.layers.map((l) => l.type)).toEqual(['input', 'flatten', 'dense']);
    // float64 and float16 weights become float32; a group of 11 members spans B-tree nodes.
    expect(model.weights[0]!.values[7839]).toBeCloseTo(7839 / 7840, 6);
    expect(Array.from(model.weights[1]!.values)).toEqual([-0, -1, -2, -3, -4, -5, -6, -7, -8, -9]);
    expect((await read('gzip.h5')).weights[0]!.values).toEqual(model.weights[0]!.values);
    const dense = await read('dense.h5');
    expect(dense.weights.map((w) => w.values)).toEqual(model.weights.map((w) => w.values));
    await expect(read('lzf.h5')).rejects.toThrow(/weights compressed with LZF cannot be read; save them with gzip or without compression/);
  });

  it.skipIf(!h5py)(
    'refuses a weight declared larger than its layer before reading it, and a chunk that inflates past its size, within bounded memory',
    async () => {
      await expect(read('declared.h5')).rejects.toThrow(/weight dense\/kernel has shape \(16384, 16384\); the model's layer needs \(784, 10\)/);
      const before = hdf5MemoryBytes();
      await expect(read('inflating.h5')).rejects.toThrow(Hdf5FormatError);
      // libhdf5's memory grew by at most a few tens of MB, not the 512 MB the chunk inflates to.
      expect(hdf5MemoryBytes() - before).toBeLessThan(64 * 2 ** 20);
      // And libhdf5 still reads the next file.
      expect((await read('plain.h5')).weights).toHaveLength(2);
    },
  );
});
