/**
 * Words that are names, not English: they stay as they are in every language (the app's and its tools' names, layer
 * and optimiser names, keys, file formats, units). Text made only of these, numbers, code and punctuation needs no
 * translation; the Korean checks (unit and end-to-end) share this list.
 */
const names = new Set(
  (
    'MNIST Lab Keras Python TensorFlow tfjs Node Electron Chromium Conv2D MaxPooling2D AveragePooling2D Dense Dropout Flatten ' +
    'BatchNormalization Activation Input ReLU relu softmax linear sigmoid tanh Adam adam SGD sgd RMSprop rmsprop valid same ' +
    'WebGPU WebAssembly CUDA GPU CPU SIMD JavaScript wasm webgpu cuda cpu IDX PNG JPEG CSV JSON HDF5 keras px ms KiB MiB GiB MB GB ' +
    'Sobel PCA UMAP Alt Ctrl Shift Enter Esc Space Tab Delete Page Down Up ID OK CNN Fashion ModelCheckpoint EarlyStopping BatchNorm English zip js elu selu max log'
  ).split(' '),
);

/**
 * The English words of a text, less the names; empty when nothing in it needs translating. Single letters (Ctrl+Z,
 * r × 28 + c), code (val_loss, model.json, Conv2D) and ids (20261202-101500-ddc3) are not words.
 */
export function englishWords(text: string): string[] {
  const withoutIds = text.replace(/[\w]+(?:-[\w]+)+/g, (token) => (/\d/.test(token) ? ' ' : token));
  return (withoutIds.match(/[A-Za-z][\w'.]*/g) ?? []).filter((word) => word.length > 1 && !/[_.\d]/.test(word) && !names.has(word));
}
