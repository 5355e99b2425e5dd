import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { analyzeStack } from '../../../shared/layers/inferShapes';
import type { LayerStack } from '../../../shared/layers/layerSpec';
import { tfjsLayerConfig, type TfjsLayerConfig } from '../../../shared/layers/tfjsLayerConfig';
import { imageSide } from '../../../shared/mnist';

// The designer's layer previews (in the model worker, modelWorkerEntry.ts): every layer of a
// design applied to one digit, with the trainer's own seeded initialisation or a run's weights.
// Layers are kept between requests, so an edit rebuilds only the layers it changed, and outputs
// are recomputed from the first changed layer on. Pure tfjs, so the unit tests run it in Node.

/** One layer's output for the digit: [h, w, c] channel last, or [n]. */
export interface LayerOutput {
  /** The layer's place in the stack (the input is 0 and has no entry). */
  index: number;
  shape: number[];
  values: Float32Array;
}

/** Each layer's weights (as tfjs orders them), by stack index: a run's, for a design whose layers match it. */
export type LayerWeights = Map<number, Float32Array[]>;

interface Kept {
  /** What the layer was built from: its config (seed and input shape included) and the weights' source. */
  key: string;
  layer: tfl.layers.Layer;
  output: tf.Tensor;
}

/** The tfjs-layers layer a config describes (the classes register themselves with tfjs' serialisation). */
function layerFromConfig({ className, config }: TfjsLayerConfig): tfl.layers.Layer {
  const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[className]!;
  return fromConfig(cls, config) as tfl.layers.Layer;
}

export class LayerPreviews {
  private kept: Kept[] = [];
  private inputKey = '';

  /**
   * Every layer's output for `input` (784 values 0–1): fresh layers seeded as the trainer seeds
   * them (`seed` + position), or with `weights` (`weightsKey` names them, so a change of source
   * rebuilds). Throws for a stack the designer would refuse.
   */
  async run(
    layers: LayerStack,
    seed: number,
    input: Float32Array,
    weights: LayerWeights | null,
    weightsKey: string,
  ): Promise<{ outputs: LayerOutput[]; recomputedFrom: number }> {
    const analysis = analyzeStack(layers);
    if (!analysis.ok) throw new Error(analysis.problems[0]!.message);
    const inputKey = Array.from(input).join(',');
    let recomputedFrom = inputKey === this.inputKey ? layers.length : 1;
    this.inputKey = inputKey;
    const kept: Kept[] = [];
    const image = tf.tensor4d(input, [1, imageSide, imageSide, 1]);
    let previous: tf.Tensor = image;
    for (let i = 1; i < layers.length; i++) {
      const spec = layers[i]!;
      if (spec.type === 'input') throw new Error('an input layer may only come first');
      const config = tfjsLayerConfig(spec, seed + i - 1, i === 1 ? analysis.layers[0]!.outputShape : undefined);
      const key = JSON.stringify([config, analysis.layers[i - 1]!.outputShape, weights?.has(i) ? weightsKey : 'fresh']);
      const old = this.kept[i - 1];
      const sameLayer = old?.key === key;
      if (!sameLayer) recomputedFrom = Math.min(recomputedFrom, i);
      if (sameLayer && i < recomputedFrom) {
        kept.push(old);
        previous = old.output;
        continue;
      }
      const layer = sameLayer ? old.layer : layerFromConfig(config);
      const output = tf.tidy(() => layer.apply(previous, { training: false }) as tf.Tensor);
      const runWeights = weights?.get(i);
      if (!sameLayer && runWeights) {
        // The first apply built the layer's weights; now they take the run's, and the output is computed again.
        const values = layer.getWeights().map((w, k) => tf.tensor(runWeights[k]!, w.shape));
        layer.setWeights(values);
        tf.dispose([...values, output]);
        kept.push({ key, layer, output: tf.tidy(() => layer.apply(previous, { training: false }) as tf.Tensor) });
      } else kept.push({ key, layer, output });
      if (old) {
        old.output.dispose();
        if (!sameLayer) old.layer.dispose();
      }
      previous = kept.at(-1)!.output;
    }
    image.dispose();
    for (const old of this.kept.slice(kept.length)) {
      old.output.dispose();
      old.layer.dispose();
    }
    this.kept = kept;
    // Read asynchronously: WebGPU has no synchronous read of a tensor on the GPU.
    const values = await Promise.all(kept.map((k) => k.output.data() as Promise<Float32Array>));
    const outputs = kept.map((k, i) => ({ index: i + 1, shape: k.output.shape.slice(1), values: values[i]! }));
    return { outputs, recomputedFrom };
  }

  /** A Conv2D layer's kernel for one filter and one input channel, row by row, and its bias: what the convolution step-through shows. */
  async kernelOf(index: number, filter: number, channel: number): Promise<{ kernel: Float32Array; bias: number } | null> {
    const layer = this.kept[index - 1]?.layer;
    if (!layer || layer.getClassName() !== 'Conv2D') return null;
    const [kernel, bias] = layer.getWeights();
    const [kh, kw, inChannels, filters] = kernel!.shape as [number, number, number, number];
    if (filter >= filters || channel >= inChannels) return null;
    const values = await kernel!.data();
    const out = new Float32Array(kh * kw);
    for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) out[r * kw + c] = values[((r * kw + c) * inChannels + channel) * filters + filter]!;
    return { kernel: out, bias: bias ? (await bias.data())[filter]! : 0 };
  }

  dispose(): void {
    for (const k of this.kept) {
      k.output.dispose();
      k.layer.dispose();
    }
    this.kept = [];
    this.inputKey = '';
  }
}
