#!/usr/bin/python3
"""Writes model files the way Keras does, without Keras, for MNIST Lab's import tests.

Usage: write_keras_files.py SEED_CNN.h5 IMAGES.f32 OUTDIR
  SEED_CNN.h5  a seed CNN exported by MNIST Lab (its weights are reused, so the files written
               here must predict exactly like the run they came from)
  IMAGES.f32   n x 784 float32 pixels in [0, 1]

Writes into OUTDIR, each with h5py (HDF5's own library), in the layout that Keras version uses:
  keras2.h5          tf.keras 2.x model.save('x.h5'): HDF5's oldest format (h5py's default),
                     fixed-length string attributes, model_weights/<layer>/<layer>/<name>:0,
                     an optimizer_weights group, layer names as Keras 2 gives them
  keras3-legacy.h5   Keras 3's legacy .h5: the config as a variable-length string (global heap),
                     written with libver='latest' (superblock 3, version 2 object headers)
  keras3.keras       Keras 3's .keras: a deflated zip of config.json, metadata.json and
                     model.weights.h5 (layers/<class in snake case, numbered>/vars/0, 1, …);
                     the Keras 3 files name some layers themselves (features, hidden, digits)
  mlp.h5             the seed's MLP as tf.keras 2.x saves it: input (784,), no InputLayer entry,
                     logits then a separate Activation('softmax'); random weights, and
  mlp.expected.f32   its n x 10 probabilities for IMAGES.f32, computed in numpy
"""
import io, json, sys, zipfile
import h5py
import numpy as np

source_path, images_path, out = sys.argv[1:4]
images = np.fromfile(images_path, np.float32).reshape(-1, 784)

with h5py.File(source_path, 'r') as f:
    g = f['model_weights']
    weights = [[np.asarray(g[name][w.decode()]) for w in g[name].attrs.get('weight_names', [])] for name in [n.decode() for n in g.attrs['layer_names']]]
weights = [w for w in weights if w]  # conv2d, conv2d_1, dense, dense_1: kernel and bias each

names = ['conv2d', 'conv2d_1', 'max_pooling2d', 'dropout', 'flatten', 'dense', 'dropout_1', 'dense_1']
with_weights = {'conv2d': weights[0], 'conv2d_1': weights[1], 'dense': weights[2], 'dense_1': weights[3]}
# The Keras 3 files name three layers themselves; a .keras file still keys their weights by class.
keras3_names = ['features', 'conv2d_1', 'max_pooling2d', 'dropout', 'flatten', 'hidden', 'dropout_1', 'digits']
keras3_with_weights = {'features': weights[0], 'conv2d_1': weights[1], 'hidden': weights[2], 'digits': weights[3]}


def layer_configs(keras3):
    """The seed CNN's layers as that Keras version writes their configs."""
    def conv(name, filters):
        return ('Conv2D', {'name': name, 'trainable': True, 'dtype': 'float32', 'filters': filters, 'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'valid',
                           'data_format': 'channels_last', 'dilation_rate': [1, 1], 'groups': 1, 'activation': 'relu', 'use_bias': True,
                           'kernel_initializer': {'class_name': 'GlorotUniform', 'config': {'seed': None}}, 'bias_initializer': {'class_name': 'Zeros', 'config': {}},
                           'kernel_regularizer': None, 'bias_regularizer': None, 'activity_regularizer': None, 'kernel_constraint': None, 'bias_constraint': None})
    layers = [
        conv('conv2d', 32),
        conv('conv2d_1', 64),
        ('MaxPooling2D', {'name': 'max_pooling2d', 'trainable': True, 'dtype': 'float32', 'pool_size': [2, 2], 'padding': 'valid', 'strides': [2, 2], 'data_format': 'channels_last'}),
        ('Dropout', {'name': 'dropout', 'trainable': True, 'dtype': 'float32', 'rate': 0.25, 'noise_shape': None, 'seed': None}),
        ('Flatten', {'name': 'flatten', 'trainable': True, 'dtype': 'float32', 'data_format': 'channels_last'}),
        ('Dense', {'name': 'dense', 'trainable': True, 'dtype': 'float32', 'units': 128, 'activation': 'relu', 'use_bias': True}),
        ('Dropout', {'name': 'dropout_1', 'trainable': True, 'dtype': 'float32', 'rate': 0.5, 'noise_shape': None, 'seed': None}),
        ('Dense', {'name': 'dense_1', 'trainable': True, 'dtype': 'float32', 'units': 10, 'activation': 'softmax', 'use_bias': True}),
    ]
    if keras3:
        policy = {'module': 'keras', 'class_name': 'DTypePolicy', 'config': {'name': 'float32'}, 'registered_name': None}
        entries = [{'module': 'keras.layers', 'class_name': 'InputLayer', 'config': {'batch_shape': [None, 28, 28, 1], 'dtype': 'float32', 'sparse': False, 'name': 'input_layer'}, 'registered_name': None}]
        for (kind, config), name in zip(layers, keras3_names):
            entries.append({'module': 'keras.layers', 'class_name': kind, 'config': {**config, 'name': name, 'dtype': policy}, 'registered_name': None, 'build_config': {'input_shape': None}})
        return entries
    entries = [{'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 28, 28, 1], 'dtype': 'float32', 'sparse': False, 'ragged': False, 'name': 'conv2d_input'}}]
    for i, (kind, config) in enumerate(layers):
        entries.append({'class_name': kind, 'config': {**config, 'batch_input_shape': [None, 28, 28, 1]} if i == 0 else config})
    return entries


def keras2_config():
    return {'class_name': 'Sequential', 'config': {'name': 'sequential', 'layers': layer_configs(False)}}


def keras3_config():
    return {'module': 'keras', 'class_name': 'Sequential', 'config': {'name': 'sequential', 'trainable': True, 'dtype': 'float32', 'layers': layer_configs(True)},
            'registered_name': None, 'build_config': {'input_shape': [None, 28, 28, 1]},
            'compile_config': {'optimizer': 'adam', 'loss': 'categorical_crossentropy', 'metrics': ['accuracy']}}


def new_group(parent, name, dense):
    """A group; a dense one keeps its attributes in a fractal heap from the first (libver='latest' does so past 8)."""
    if not dense:
        return parent.create_group(name)
    gcpl = h5py.h5p.create(h5py.h5p.GROUP_CREATE)
    gcpl.set_attr_phase_change(0, 0)
    h5py.h5g.create(parent.id, name.encode('utf8'), gcpl=gcpl)
    return parent[name]


def write_legacy_h5(path, config, layer_weights, layer_names, config_as_str, libver, dense=False):
    with h5py.File(path, 'w', libver=libver) as f:
        text = json.dumps(config)
        f.attrs['model_config'] = text if config_as_str else text.encode('utf8')
        f.attrs['keras_version'] = b'2.15.0'
        f.attrs['backend'] = b'tensorflow'
        f.attrs['training_config'] = json.dumps({'loss': 'categorical_crossentropy'}).encode('utf8')
        g = new_group(f, 'model_weights', dense)
        g.attrs['layer_names'] = np.array([n.encode('utf8') for n in layer_names])
        g.attrs['backend'] = b'tensorflow'
        g.attrs['keras_version'] = b'2.15.0'
        for name in layer_names:
            group = new_group(g, name, dense)
            ws = layer_weights.get(name, [])
            weight_names = [f'{name}/{v}:0'.encode('utf8') for v in ['kernel', 'bias'][:len(ws)]]
            group.attrs['weight_names'] = np.array(weight_names, dtype='S') if weight_names else np.array([], dtype='S1')
            for weight_name, w in zip(weight_names, ws):
                group.create_dataset(weight_name.decode(), data=w)
        if dense:
            # Keras 2.11+ adds this ninth member, past the 8 links a libver='latest' group keeps compact.
            new_group(g, 'top_level_model_weights', dense).attrs['weight_names'] = np.array([], dtype='S1')
        o = f.create_group('optimizer_weights')
        o.create_dataset('Adam/iter:0', data=np.int64(10))


write_legacy_h5(f'{out}/keras2.h5', keras2_config(), with_weights, names, False, 'earliest')
write_legacy_h5(f'{out}/keras3-legacy.h5', keras3_config(), keras3_with_weights, keras3_names, True, 'latest')
write_legacy_h5(f'{out}/keras2-dense.h5', keras2_config(), with_weights, names, False, 'latest', dense=True)

weights_file = io.BytesIO()
with h5py.File(weights_file, 'w') as f:
    layers = f.create_group('layers')
    for key in names:  # conv2d, conv2d_1, …: the class in snake case, numbered per class
        vars_group = layers.create_group(key).create_group('vars')
        for i, w in enumerate(with_weights.get(key, [])):
            vars_group.create_dataset(str(i), data=w)
    f.create_group('optimizer').create_group('vars').create_dataset('0', data=np.int64(10))
    f.create_group('vars')
with zipfile.ZipFile(f'{out}/keras3.keras', 'w', compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr('metadata.json', json.dumps({'keras_version': '3.6.0', 'date_saved': '2026-11-30@12:00:00'}))
    z.writestr('config.json', json.dumps(keras3_config()))
    z.writestr('model.weights.h5', weights_file.getvalue())

rng = np.random.default_rng(7)
mlp = {'dense': [rng.normal(0, 0.05, (784, 512)).astype(np.float32), rng.normal(0, 0.1, 512).astype(np.float32)],
       'dense_1': [rng.normal(0, 0.1, (512, 10)).astype(np.float32), rng.normal(0, 0.1, 10).astype(np.float32)]}
mlp_config = {'class_name': 'Sequential', 'config': {'name': 'sequential_1', 'layers': [
    {'class_name': 'Dense', 'config': {'name': 'dense', 'trainable': True, 'batch_input_shape': [None, 784], 'dtype': 'float32', 'units': 512, 'activation': 'relu', 'use_bias': True}},
    {'class_name': 'Dense', 'config': {'name': 'dense_1', 'trainable': True, 'dtype': 'float32', 'units': 10, 'activation': 'linear', 'use_bias': True}},
    {'class_name': 'Activation', 'config': {'name': 'activation', 'trainable': True, 'dtype': 'float32', 'activation': 'softmax'}},
]}}
write_legacy_h5(f'{out}/mlp.h5', mlp_config, mlp, ['dense', 'dense_1', 'activation'], False, 'earliest')
hidden = np.maximum(images @ mlp['dense'][0] + mlp['dense'][1], 0)
logits = hidden @ mlp['dense_1'][0] + mlp['dense_1'][1]
e = np.exp(logits - logits.max(axis=1, keepdims=True))
(e / e.sum(axis=1, keepdims=True)).astype(np.float32).tofile(f'{out}/mlp.expected.f32')
print(json.dumps(sorted(['keras2.h5', 'keras3-legacy.h5', 'keras3.keras', 'mlp.h5'])))
