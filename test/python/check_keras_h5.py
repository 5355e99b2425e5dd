#!/usr/bin/python3
"""Checks a Keras .h5 file exported by MNIST Lab without Keras.

Usage: check_keras_h5.py MODEL.h5 IMAGES.f32 PROBABILITIES.f32
  IMAGES.f32         n x 784 float32 pixels in [0, 1]
  PROBABILITIES.f32  n x 10 float32: what MNIST Lab's model gives for them

Reads the file with h5py: Keras' model_config, and every weight under Keras' names and shapes
(model_weights/<layer>/<layer>/<weight>:0, listed in weight_names). Rebuilds the model in numpy
from them, predicts the images, and compares with MNIST Lab's probabilities. Then, where Keras
is installed, opens the file with keras.models.load_model and compares again. Prints one JSON
line; exits 1 when anything differs.
"""
import json, sys
import h5py
import numpy as np

path, images_path, probabilities_path = sys.argv[1:4]
images = np.fromfile(images_path, np.float32).reshape(-1, 28, 28, 1)
expected = np.fromfile(probabilities_path, np.float32).reshape(-1, 10)

f = h5py.File(path, 'r')
config = json.loads(f.attrs['model_config'])
assert config['class_name'] == 'Sequential', config['class_name']
weights_group = f['model_weights']
layer_names = [n.decode() for n in weights_group.attrs['layer_names']]
layers = config['config']['layers']
assert layer_names == [l['config']['name'] for l in layers], (layer_names, layers)


def weights_of(name):
    group = weights_group[name]
    return [np.asarray(group[w.decode()]) for w in group.attrs.get('weight_names', [])]


def activation(x, kind):
    if kind == 'relu':
        return np.maximum(x, 0)
    if kind == 'softmax':
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    assert kind == 'linear', kind
    return x


def pad_same(x, kernel, stride):
    """TensorFlow's 'same' padding: the extra pixel goes after."""
    pads = []
    for size, k, s in zip(x.shape[1:3], kernel, stride):
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, [(0, 0), pads[0], pads[1], (0, 0)])


def windows(x, kernel, stride, padding):
    if padding == 'same':
        x = pad_same(x, kernel, stride)
    w = np.lib.stride_tricks.sliding_window_view(x, kernel, axis=(1, 2))
    return w[:, ::stride[0], ::stride[1]]  # [n, h, w, c, kh, kw]


def forward(x):
    shapes = []
    for layer in layers:
        kind, c = layer['class_name'], layer['config']
        if kind == 'Conv2D':
            kernel, bias = weights_of(c['name'])
            shapes.append((c['name'], kernel.shape, bias.shape))
            w = windows(x, tuple(c['kernel_size']), tuple(c['strides']), c['padding'])
            x = activation(np.einsum('nhwcij,ijco->nhwo', w, kernel, optimize=True) + bias, c['activation'])
        elif kind == 'MaxPooling2D':
            x = windows(x, tuple(c['pool_size']), tuple(c['strides']), c['padding']).max(axis=(4, 5))
        elif kind == 'Dense':
            kernel, bias = weights_of(c['name'])
            shapes.append((c['name'], kernel.shape, bias.shape))
            x = activation(x @ kernel + bias, c['activation'])
        elif kind == 'Flatten':
            x = x.reshape(len(x), -1)
        elif kind == 'Activation':
            x = activation(x, c['activation'])
        else:
            assert kind == 'Dropout', f'no numpy version of {kind}'
    return x, shapes


probabilities, shapes = forward(images.astype(np.float64))
difference = float(np.abs(probabilities - expected).max())
same_digits = bool((probabilities.argmax(1) == expected.argmax(1)).all())
result = {'layers': len(layers), 'weights': [[n, list(k), list(b)] for n, k, b in shapes],
          'max_difference': difference, 'same_digits': same_digits}

try:
    import keras
except ImportError as error:
    result['keras'] = f'skipped: Keras is not installed ({error})'
else:
    model = keras.models.load_model(path)
    keras_difference = float(np.abs(model.predict(images, verbose=0) - expected).max())
    result['keras'] = f'keras {keras.__version__} load_model: max difference {keras_difference:.2e}'
    result['keras_difference'] = keras_difference

print(json.dumps(result))
ok = difference < 1e-4 and same_digits and result.get('keras_difference', 0) < 1e-4
sys.exit(0 if ok else 1)
