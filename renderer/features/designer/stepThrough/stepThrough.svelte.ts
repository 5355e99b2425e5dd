import type { LayerSpec, TensorShape } from '../../../../shared/layers/layerSpec';
import { convolve, type Grid, type Window } from '../../../lib/convolutionSteps';
import { channelOf } from '../../../lib/heatValues';
import { handKernels, type HandKernelName } from '../../../lib/handKernels';
import type { LayerPreviewState } from '../previews.svelte';

export type StepTab = 'convolution' | 'pooling' | 'dropout' | 'flatten';

/** The tabs a layer's step-through offers: a convolution with the pooling of what it makes; a pooling, dropout or flatten layer on its own input. */
export function tabsFor(layer: LayerSpec): StepTab[] {
  switch (layer.type) {
    case 'conv2d':
      return ['convolution', 'pooling'];
    case 'maxPooling2d':
    case 'averagePooling2d':
      return ['pooling'];
    case 'dropout':
      return ['dropout'];
    case 'flatten':
      return ['flatten'];
    default:
      return [];
  }
}

/**
 * What the step-through dialog shows for layer `index`: its input (the digit, or the layer before's
 * output from the previews), one channel of it, and for a convolution the kernel: one of the
 * layer's own filters (with the previews' weights: fresh or a run's) or a hand-picked one.
 */
export class StepThroughState {
  tab = $state<StepTab>('convolution');
  channel = $state(0);
  filter = $state(0);
  kernelChoice = $state<'learned' | HandKernelName>('learned');
  learned = $state.raw<{ kernel: Float32Array; bias: number } | null>(null);

  readonly tabs: StepTab[];
  /** The input's channels (1 for a vector). */
  readonly channels: number;
  /** A convolution's window and activation; null for other layers. */
  readonly convolution: { window: Window; relu: boolean; filters: number; handKernels: boolean } | null;
  /** The pooling window: the layer's own, or the seed's 2 × 2 after a convolution. */
  readonly pooling: { size: number; stride: number };
  readonly dropoutRate: number;

  constructor(
    private readonly previews: LayerPreviewState,
    readonly index: number,
    readonly layer: LayerSpec,
    readonly inputShape: TensorShape,
  ) {
    this.tabs = tabsFor(layer);
    this.tab = this.tabs[0] ?? 'convolution';
    this.channels = inputShape.length === 3 ? inputShape[2]! : 1;
    this.convolution =
      layer.type === 'conv2d'
        ? {
            window: { kernel: layer.kernelSize, stride: layer.strides, padding: layer.padding },
            relu: layer.activation === 'relu',
            filters: layer.filters,
            handKernels: layer.kernelSize === 3,
          }
        : null;
    const pooled = layer.type === 'maxPooling2d' || layer.type === 'averagePooling2d';
    this.pooling = pooled ? { size: layer.poolSize, stride: layer.strides ?? layer.poolSize } : { size: 2, stride: 2 };
    this.dropoutRate = layer.type === 'dropout' ? layer.rate : 0.25;
  }

  /** What the pooling tab pools: after a convolution, the map the chosen kernel makes; else the layer's own input. */
  get poolingInput(): Grid | null {
    const grid = this.inputGrid;
    const kernel = this.kernel;
    if (!this.convolution) return grid;
    return grid && kernel ? convolve(grid, kernel.kernel, kernel.bias, this.convolution.window, this.convolution.relu) : null;
  }

  /** The layer's whole input, as the previews computed it (the digit for the first layer). */
  get input(): Float32Array | null {
    if (this.index === 1) return this.previews.digit ? Float32Array.from(this.previews.digit.pixels, (p) => p / 255) : null;
    return this.previews.outputs.get(this.index - 1)?.values ?? null;
  }

  /** One channel of the input as a grid; a vector input is laid out as one row. */
  get inputGrid(): Grid | null {
    const input = this.input;
    if (!input) return null;
    if (this.inputShape.length !== 3) return { values: input, height: 1, width: input.length };
    const [height, width] = this.inputShape as [number, number, number];
    return { values: channelOf(input, this.inputShape as [number, number, number], this.channel), height, width };
  }

  get kernel(): { kernel: Float32Array; bias: number } | null {
    if (this.kernelChoice === 'learned') return this.learned;
    return { kernel: Float32Array.from(handKernels[this.kernelChoice]), bias: 0 };
  }

  /** Reads the chosen filter of the layer (for the chosen input channel) from the preview worker. */
  async loadKernel(): Promise<void> {
    this.learned = await this.previews.kernel(this.index, this.filter, this.channel);
  }
}
