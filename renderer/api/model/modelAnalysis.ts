import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Checkpoint } from '../../../shared/apiTypes';
import { imageSide, pixelsPerImage } from '../../../shared/mnist';
import type { ProjectableLayer } from '../../lib/projection/projectableLayer';

// What the inspector and the sketchpad compute with a run's own model, in a Web Worker (modelWorkerEntry.ts):
// the saliency of an image, every convolution's and pooling layer's feature maps, and the first
// convolution's kernels. Pure tfjs, so the unit tests run it in Node on the cpu backend.

/** A layer's output for one image: [h, w, c] values, channel last. */
export interface FeatureMaps {
  layerName: string;
  className: string;
  shape: [number, number, number];
  values: Float32Array;
}

/** Builds the model a checkpoint describes (tfjs checks the topology against the weights). */
export async function loadCheckpointModel(checkpoint: Checkpoint): Promise<tfl.LayersModel> {
  const weightData = checkpoint.weightData.buffer.slice(
    checkpoint.weightData.byteOffset,
    checkpoint.weightData.byteOffset + checkpoint.weightData.byteLength,
  ) as ArrayBuffer;
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: checkpoint.modelTopology, weightSpecs: checkpoint.weightSpecs, weightData }));
}

/** An image as the model takes it: [1, 28, 28, 1], pixels / 255 (the seed's normalisation). */
function inputTensor(pixels: Uint8Array): tf.Tensor4D {
  return tf.tidy(() =>
    tf.tensor4d(
      Float32Array.from(pixels.subarray(0, pixelsPerImage), (p) => p / 255),
      [1, imageSide, imageSide, 1],
    ),
  );
}

/** The mean of the models' outputs (one model, or an ensemble's members) for a batch of inputs. */
function meanOutput(models: readonly tfl.LayersModel[], input: tf.Tensor): tf.Tensor {
  const outputs = models.map((model) => model.predict(input) as tf.Tensor);
  return outputs.length === 1 ? outputs[0]! : tf.div(tf.addN(outputs), outputs.length);
}

/**
 * Saliency: the gradient of the output for `classIndex` (the models' mean) with respect to each
 * input pixel (in the input's 0–1 scale). Large magnitudes are the pixels that most move that score.
 */
export function saliencyMap(models: readonly tfl.LayersModel[], pixels: Uint8Array, classIndex: number): Float32Array {
  return tf.tidy(() => {
    const input = inputTensor(pixels);
    const score = (x: tf.Tensor) => tf.sum(tf.slice(meanOutput(models, x), [0, classIndex], [1, 1]));
    return tf.grad(score)(input).dataSync() as Float32Array;
  });
}

/** The outputs of every Conv2D and pooling layer for one image. */
export function featureMaps(model: tfl.LayersModel, pixels: Uint8Array): FeatureMaps[] {
  const layers = model.layers.filter((layer) => /Conv2D|Pooling2D/.test(layer.getClassName()));
  if (layers.length === 0) return [];
  // A second model over the same layers (and weights) whose outputs are those layers' outputs.
  const probe = tfl.model({ inputs: model.inputs, outputs: layers.map((layer) => layer.output as tfl.SymbolicTensor) });
  const outputs = tf.tidy(() => {
    const result = probe.predict(inputTensor(pixels));
    return (Array.isArray(result) ? result : [result]).map((t) => ({
      shape: t.shape.slice(1) as [number, number, number],
      values: t.dataSync() as Float32Array,
    }));
  });
  return outputs.map((output, i) => ({ layerName: layers[i]!.name, className: layers[i]!.getClassName(), ...output }));
}

/** The first convolution's kernels for its first input channel: [kh, kw, filters]; null for a model without one. */
export function firstKernels(model: tfl.LayersModel): { shape: [number, number, number]; values: Float32Array } | null {
  const conv = model.layers.find((layer) => layer.getClassName() === 'Conv2D');
  const kernel = conv?.getWeights()[0];
  if (!kernel) return null;
  const [kh, kw, , filters] = kernel.shape as [number, number, number, number];
  return tf.tidy(() => ({ shape: [kh, kw, filters], values: tf.slice(kernel, [0, 0, 0, 0], [kh, kw, 1, filters]).dataSync() as Float32Array }));
}

/** The 10 probabilities (the models' mean) for a preprocessed image (784 values 0–1, as the sketchpad makes them). */
export function predictInput(models: readonly tfl.LayersModel[], input: Float32Array): Float32Array {
  return tf.tidy(() => meanOutput(models, tf.tensor4d(input, [1, imageSide, imageSide, 1])).dataSync() as Float32Array);
}

/** The 10 probabilities (the models' mean) for one image. */
export function predictImage(models: readonly tfl.LayersModel[], pixels: Uint8Array): Float32Array {
  return tf.tidy(() => meanOutput(models, inputTensor(pixels)).dataSync() as Float32Array);
}

/** Every layer between the input and the output, in order (the output's ten probabilities are what the matrix shows). */
export function projectableLayers(model: tfl.LayersModel): ProjectableLayer[] {
  return model.layers.slice(0, -1).flatMap((layer) => {
    if (layer.getClassName() === 'InputLayer') return [];
    const shape = (layer.outputShape as (number | null)[]).slice(1);
    return [{ name: layer.name, className: layer.getClassName(), features: shape.reduce<number>((n, d) => n * (d ?? 1), 1) }];
  });
}

/** One layer's outputs for n images (n × 784 bytes), flattened: n × features values. */
export function layerActivations(model: tfl.LayersModel, layerName: string, pixels: Uint8Array, batch = 250): Float32Array<ArrayBuffer> {
  const layer = model.layers.find((l) => l.name === layerName);
  if (!layer || layer === model.layers.at(-1) || layer.getClassName() === 'InputLayer') throw new Error(`the model has no hidden layer named "${layerName}"`);
  const probe = tfl.model({ inputs: model.inputs, outputs: layer.output as tfl.SymbolicTensor });
  const count = pixels.length / pixelsPerImage;
  const features = projectableLayers(model).find((l) => l.name === layerName)!.features;
  const out = new Float32Array(count * features);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const values = tf.tidy(() => {
      const input = tf.tensor4d(
        Float32Array.from(pixels.subarray(start * pixelsPerImage, (start + n) * pixelsPerImage), (p) => p / 255),
        [n, imageSide, imageSide, 1],
      );
      return (probe.predict(input) as tf.Tensor).dataSync() as Float32Array;
    });
    out.set(values, start * features);
  }
  return out;
}
