import { updateRuleOf } from '../../../shared/training/optimizerRules';
import { optimizerConstants, type Augmentation, type OptimizerSettings } from '../../../shared/training/trainingSettings';
import { runSize } from '../trainers/gpu/gpuErrorWatch';
import type { StepMetrics } from '../trainers/metricsTally';
import type { ActivationOp, ConvOp, DenseOp, EngineOp, EnginePlan, PoolOp } from './enginePlan';
import {
  activationBackwardShader,
  activationShader,
  advanceShader,
  batchNormBackwardShader,
  batchNormForwardShader,
  batchNormInferenceShader,
  evaluationGatherShader,
  probabilitiesShader,
  convFilterGradientShader,
  convForwardShader,
  convInputGradientShader,
  filterGradientSplits,
  poolBackwardShader,
  poolForwardShader,
  splitSumShader,
  denseForwardShader,
  denseInputGradientShader,
  denseWeightGradientShader,
  dropoutShader,
  gatherShader,
  linearWorkgroupSize,
  lossShader,
  matmulTile,
  maxWorkgroupsPerDimension,
  optimizerShader,
  type BackwardChain,
} from './engineShaders';

// The WebGPU training engine: everything a run needs is made once (buffers, pipelines, bind
// groups), the training images live on the GPU as bytes, and a step is a fixed list of
// dispatches that reads its batch's place from a state buffer the first dispatch advances. So
// any number of steps go into one submission with nothing written from JavaScript between them,
// and loss and accuracy are summed on the GPU until takeMetrics reads them. Evaluation runs the
// same forward kernels (batch normalisation on its moving statistics, dropout off) over image
// sets also kept on the GPU, and reads back only the probabilities.

export interface EngineSettings {
  batchSize: number;
  optimizer: OptimizerSettings;
  seed: number;
  /** Random shifts and rotations of each training image, done in the gather kernel; null for none. */
  augmentation: Augmentation | null;
}

/** Images kept on the GPU for evaluation, with the dispatches that read them in and write their probabilities. */
interface EvaluationSet {
  count: number;
  probabilities: GPUBuffer;
  gather: Dispatch;
  softmax: Dispatch;
}

interface Dispatch {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
}

// GPUBufferUsage is Dawn's global, set when WebGPU starts: read it then, not at import.
const storage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Workgroups for `threads` threads of 256 each, folded into a second dimension past the per-dimension limit. */
function linearWorkgroups(threads: number): [number, number, number] {
  const groups = Math.ceil(threads / linearWorkgroupSize);
  return groups <= maxWorkgroupsPerDimension ? [Math.max(1, groups), 1, 1] : [maxWorkgroupsPerDimension, Math.ceil(groups / maxWorkgroupsPerDimension), 1];
}

/** Workgroups for a matmul of `rows` × `columns` outputs in blocks of matmulTile, `splits` deep. */
const gemmWorkgroups = (rows: number, columns: number, splits = 1): [number, number, number] => [
  Math.ceil(columns / matmulTile),
  Math.ceil(rows / matmulTile),
  splits,
];

/** The bind group layout a shader declares: each storage binding, read-only or not. */
function layoutOf(device: GPUDevice, code: string): GPUBindGroupLayout {
  const entries = [...code.matchAll(/@binding\((\d+)\) var<storage, (read|read_write)>/g)].map(([, binding, access]): GPUBindGroupLayoutEntry => ({
    binding: Number(binding),
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type: access === 'read' ? 'read-only-storage' : 'storage' },
  }));
  return device.createBindGroupLayout({ entries });
}

export class WebGpuEngine {
  private readonly buffers: GPUBuffer[] = [];
  private readonly pipelines = new Map<string, { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }>();
  private readonly dispatches: Dispatch[] = [];
  private readonly state: GPUBuffer;
  /** The step state of evaluations: their own place in their own set, so training's is untouched. */
  private readonly evaluationState: GPUBuffer;
  /** The forward pass in inference: the training step's kernels, but batch normalisation's moving statistics and no dropout. */
  private readonly inference: Dispatch[] = [];
  private readonly evaluationSets = new Map<Uint8Array, EvaluationSet>();
  private readonly params: GPUBuffer;
  private readonly metrics: GPUBuffer;
  private order: GPUBuffer | null = null;
  private imageCount = 0;
  /** What the gather dispatch writes, kept until setData gives it the images to read. */
  private batchInput: { x: GPUBuffer; labels: GPUBuffer } | null = null;
  /** The last layer's logits, which the loss and evaluation's softmax read. */
  private lastActivations: GPUBuffer | null = null;
  private evaluationAdvance: Dispatch | null = null;
  /** The second dispatch of every step, made by setData. */
  private gather: Dispatch | null = null;
  /** Each max pool's winners, by the buffer it writes: its forward pass keeps them for its gradient. */
  private readonly winners = new Map<number, GPUBuffer>();
  /** Each batch normalisation's batch mean and 1 / σ, by the buffer it writes, kept likewise. */
  private readonly batchStatistics = new Map<number, GPUBuffer>();

  /** Dispatches per training step: what the GPU is asked to do, and what JavaScript encodes. */
  get dispatchesPerStep(): number {
    return this.dispatches.length + 1;
  }

  private constructor(
    private readonly device: GPUDevice,
    private readonly plan: EnginePlan,
    private readonly settings: EngineSettings,
  ) {
    this.state = this.buffer('step state', 32);
    this.evaluationState = this.buffer('evaluation state', 32);
    this.params = this.buffer('parameters', plan.parameterCount * 4);
    this.metrics = this.buffer('metrics', 16);
    device.queue.writeBuffer(this.state, 20, new Uint32Array([settings.seed >>> 0]));
  }

  /** Builds the engine for `plan` with its initial weights (tfjs' getWeights() order); fails with the compiler's or validator's message. */
  static async build(device: GPUDevice, plan: EnginePlan, settings: EngineSettings, weights: Float32Array[]): Promise<WebGpuEngine> {
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    const engine = new WebGpuEngine(device, plan, settings);
    engine.setWeights(weights);
    engine.makeStep();
    const [outOfMemory, invalid] = await Promise.all([device.popErrorScope(), device.popErrorScope()]);
    if (outOfMemory)
      throw new Error(
        `${runSize(plan.parameterCount, settings.batchSize)} does not fit in the GPU's memory: try a smaller batch or model (${outOfMemory.message})`,
      );
    if (invalid) throw new Error(`the WebGPU engine could not be built: ${invalid.message}`);
    return engine;
  }

  private buffer(label: string, bytes: number, usage = storage()): GPUBuffer {
    const made = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 4) * 4), usage });
    this.buffers.push(made);
    return made;
  }

  /** The pipeline for `code`, compiled once however many dispatches run it (both advances, every evaluation set's kernels). */
  private pipelineFor(label: string, code: string): { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout } {
    const known = this.pipelines.get(code);
    if (known) return known;
    const layout = layoutOf(this.device, code);
    const module = this.device.createShaderModule({ label, code });
    const pipeline = this.device.createComputePipeline({
      label,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    const made = { pipeline, layout };
    this.pipelines.set(code, made);
    return made;
  }

  private makeDispatch(label: string, code: string, resources: GPUBuffer[], workgroups: [number, number, number]): Dispatch {
    const { pipeline, layout } = this.pipelineFor(label, code);
    const bindGroup = this.device.createBindGroup({ label, layout, entries: resources.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    return { label, pipeline, bindGroup, workgroups };
  }

  private dispatch(label: string, code: string, resources: GPUBuffer[], workgroups: [number, number, number]): void {
    this.dispatches.push(this.makeDispatch(label, code, resources, workgroups));
  }

  /** The step as dispatches, each with its pipeline and bind group made here, once. */
  private makeStep(): void {
    const { plan, settings } = this;
    const batch = settings.batchSize;
    const acts = plan.widths.map((width, i) => this.buffer(`activations ${i}`, batch * width * 4));
    const grads = plan.widths.map((width, i) => (i === 0 ? null : this.buffer(`activation gradients ${i}`, batch * width * 4)));
    const batchLabels = this.buffer('batch labels', batch * 4);
    const paramGrads = this.buffer('parameter gradients', plan.trainableCount * 4);
    const rule = updateRuleOf(settings.optimizer);
    const slots = (n: number) => this.buffer(`optimiser state ${n}`, (rule.stateSlots >= n ? plan.trainableCount : 1) * 4);
    const [state1, state2] = [slots(1), slots(2)];
    this.batchInput = { x: acts[0]!, labels: batchLabels };
    this.lastActivations = acts.at(-1)!;
    this.evaluationAdvance = this.makeDispatch('evaluation advance', advanceShader(batch), [this.evaluationState], [1, 1, 1]);
    // Compiled here, inside build's error scopes, so an adapter that refuses them falls back before training starts.
    this.pipelineFor('evaluation gather', evaluationGatherShader(batch, plan.widths[0]!));
    this.pipelineFor('evaluation probabilities', probabilitiesShader(batch, plan.classes));

    this.dispatch('advance', advanceShader(batch), [this.state], [1, 1, 1]);
    for (const op of plan.ops) this.forwardDispatches(op, acts);
    const last = plan.widths.length - 1;
    this.dispatch('loss', lossShader(batch, plan.classes), [this.state, acts[last]!, batchLabels, grads[last]!, this.metrics], [1, 1, 1]);
    this.backwardDispatches(acts, grads, paramGrads);
    const optimizer = optimizerShader(plan.trainableCount, rule, settings.optimizer.learningRate, optimizerConstants.epsilon);
    this.dispatch('optimizer', optimizer, [this.state, paramGrads, this.params, state1, state2], linearWorkgroups(plan.trainableCount));
  }

  /** An op's forward pass in training, and the same op in inference (the same dispatch where they do not differ). */
  private forwardDispatches(op: EngineOp, acts: GPUBuffer[]): void {
    const batch = this.settings.batchSize;
    const [source, target] = [acts[op.source]!, acts[op.target]!];
    const values = batch * this.plan.widths[op.target]!;
    const both = (made: Dispatch) => {
      this.dispatches.push(made);
      this.inference.push(made);
    };
    if (op.kind === 'dense') {
      const code = denseForwardShader(batch, op.inputs, op.units, op.kernel.offset, op.bias.offset, op.activation);
      both(this.makeDispatch(`dense ${op.target} forward`, code, [source, this.params, target], gemmWorkgroups(batch, op.units)));
    } else if (op.kind === 'conv') {
      const code = convForwardShader(batch, op, op.kernel.offset, op.bias.offset, op.activation);
      const workgroups = gemmWorkgroups(batch * op.output[0] * op.output[1], op.output[2]);
      both(this.makeDispatch(`conv ${op.target} forward`, code, [source, this.params, target], workgroups));
    } else if (op.kind === 'pool') {
      const won = this.buffer(`pool ${op.target} winners`, values * 4);
      this.winners.set(op.target, won);
      both(this.makeDispatch(`pool ${op.target} forward`, poolForwardShader(batch, op, op.mode), [source, target, won], linearWorkgroups(values)));
    } else if (op.kind === 'dropout') {
      const resources = [this.state, source, target];
      this.dispatch(`dropout ${op.target}`, dropoutShader(batch, op.width, op.rate, op.stream), resources, linearWorkgroups(values));
      // At rate 0 every value is kept unscaled: inference's dropout.
      this.inference.push(
        this.makeDispatch(`dropout ${op.target} in inference`, dropoutShader(batch, op.width, 0, op.stream), resources, linearWorkgroups(values)),
      );
    } else if (op.kind === 'batchNorm') {
      const stats = this.buffer(`batch norm ${op.target} statistics`, 2 * op.channels * 4);
      this.batchStatistics.set(op.target, stats);
      const code = batchNormForwardShader(batch, op);
      this.dispatch(`batch norm ${op.target} forward`, code, [this.state, source, this.params, target, stats], [op.channels, 1, 1]);
      const inference = batchNormInferenceShader(batch, op);
      this.inference.push(this.makeDispatch(`batch norm ${op.target} in inference`, inference, [source, this.params, target], linearWorkgroups(values)));
    } else {
      both(this.makeDispatch(`activation ${op.target}`, activationShader(values, op.activation), [source, target], linearWorkgroups(values)));
    }
  }

  /**
   * Weight gradients for every layer that has weights, and input gradients back to the first,
   * each finished on its way in by the dropout mask and the activation derivative before it.
   */
  private backwardDispatches(acts: GPUBuffer[], grads: (GPUBuffer | null)[], paramGrads: GPUBuffer): void {
    const { plan } = this;
    const batch = this.settings.batchSize;
    const producer = (buffer: number) => plan.ops.find((op) => op.target === buffer);
    /** Where an op's input gradient goes (past a dropout), and what finishes it; null when that is the images. */
    const inputChain = (source: number): { into: number; chain: BackwardChain } | null => {
      const before = producer(source);
      const dropout = before?.kind === 'dropout' ? before : null;
      const into = dropout ? dropout.source : source;
      if (into === 0) return null;
      const owner = producer(into);
      const activation = owner && 'activation' in owner ? owner.activation : 'linear';
      return { into, chain: { dropout: dropout ? { rate: dropout.rate, stream: dropout.stream } : null, activation } };
    };
    for (const op of [...plan.ops].reverse()) {
      if (op.kind === 'dropout') continue;
      const dy = grads[op.target]!;
      const back = inputChain(op.source);
      // What an input gradient's chain reads (the values it finishes by) and where it writes.
      const into = back ? [acts[back.into]!, grads[back.into]!] : [];
      if (op.kind === 'batchNorm') {
        const resources = [this.state, dy, acts[op.source]!, this.params, this.batchStatistics.get(op.target)!, paramGrads, ...into];
        this.dispatch(`batch norm ${op.target} gradients`, batchNormBackwardShader(batch, op, back?.chain ?? null), resources, [op.channels, 1, 1]);
        continue;
      }
      if (op.kind === 'dense' || op.kind === 'conv') this.weightGradientDispatches(op, acts[op.source]!, dy, paramGrads);
      if (back) this.inputGradientDispatch(op, back.chain, dy, into);
    }
  }

  /** A dense or convolution layer's kernel and bias gradients, from its input `x` and output gradient `dy`. */
  private weightGradientDispatches(op: DenseOp | ConvOp, x: GPUBuffer, dy: GPUBuffer, paramGrads: GPUBuffer): void {
    const batch = this.settings.batchSize;
    if (op.kind === 'dense') {
      const weights = denseWeightGradientShader(batch, op.inputs, op.units, op.kernel.offset, op.bias.offset);
      this.dispatch(`dense ${op.target} weight gradient`, weights, [x, dy, paramGrads], gemmWorkgroups(op.inputs + 1, op.units));
      return;
    }
    const splits = filterGradientSplits(batch, op);
    const rows = op.size * op.size * op.input[2] + 1;
    const partial = this.buffer(`conv ${op.target} filter gradient splits`, splits * rows * op.output[2] * 4);
    const filter = convFilterGradientShader(batch, op, splits);
    this.dispatch(`conv ${op.target} filter gradient`, filter, [x, dy, partial], gemmWorkgroups(rows, op.output[2], splits));
    const sum = splitSumShader(rows, op.output[2], splits, op.kernel.offset, op.bias.offset);
    this.dispatch(`conv ${op.target} filter gradient sum`, sum, [partial, paramGrads], linearWorkgroups(rows * op.output[2]));
  }

  /** An op's input gradient, finished by `chain`; `into` is the values the chain reads and the gradient buffer it writes. */
  private inputGradientDispatch(op: DenseOp | ConvOp | PoolOp | ActivationOp, chain: BackwardChain, dy: GPUBuffer, into: GPUBuffer[]): void {
    const batch = this.settings.batchSize;
    const label = `${op.kind} ${op.target} input gradient`;
    if (op.kind === 'dense') {
      const code = denseInputGradientShader(batch, op.inputs, op.units, op.kernel.offset, chain);
      this.dispatch(label, code, [this.state, dy, this.params, ...into], gemmWorkgroups(batch, op.inputs));
    } else if (op.kind === 'conv') {
      const code = convInputGradientShader(batch, op, op.kernel.offset, chain);
      this.dispatch(label, code, [this.state, dy, this.params, ...into], gemmWorkgroups(batch * op.input[0] * op.input[1], op.input[2]));
    } else if (op.kind === 'pool') {
      const code = poolBackwardShader(batch, op, op.mode, chain);
      this.dispatch(label, code, [this.state, dy, this.winners.get(op.target)!, ...into], linearWorkgroups(batch * this.plan.widths[op.source]!));
    } else {
      const values = batch * op.width;
      this.dispatch(label, activationBackwardShader(values, chain), [this.state, dy, ...into], linearWorkgroups(values));
    }
  }

  /** Uploads the training images (bytes, 784 a picture) and their labels, once per run. */
  setData(pixels: Uint8Array, labels: Uint8Array): void {
    const count = labels.length;
    if (pixels.length !== count * this.plan.widths[0]!) throw new Error(`${pixels.length} pixels for ${count} labels`);
    const images = this.imageBuffer('images', pixels);
    const labelBuffer = this.buffer('labels', count * 4);
    this.device.queue.writeBuffer(labelBuffer, 0, Uint32Array.from(labels));
    this.order = this.buffer('order', count * 4);
    this.imageCount = count;
    const batch = this.settings.batchSize;
    const pixelsPerImage = this.plan.widths[0]!;
    const { x, labels: batchLabels } = this.batchInput!;
    const resources = [this.state, images, labelBuffer, this.order, x, batchLabels];
    const code = gatherShader(batch, pixelsPerImage, this.settings.augmentation);
    this.gather = this.makeDispatch('gather', code, resources, linearWorkgroups(batch * pixelsPerImage));
  }

  /** Images as bytes in a buffer of their own (padded to whole words, which 784 a picture already is). */
  private imageBuffer(label: string, pixels: Uint8Array): GPUBuffer {
    const padded = pixels.length % 4 === 0 ? pixels : new Uint8Array(Math.ceil(pixels.length / 4) * 4);
    if (padded !== pixels) padded.set(pixels);
    const images = this.buffer(label, padded.length);
    this.device.queue.writeBuffer(images, 0, padded);
    return images;
  }

  /** The set of `pixels` kept for evaluation: uploaded the first time it is asked for, then reused. */
  private evaluationSet(pixels: Uint8Array): EvaluationSet {
    const known = this.evaluationSets.get(pixels);
    if (known) return known;
    const pixelsPerImage = this.plan.widths[0]!;
    const count = Math.floor(pixels.length / pixelsPerImage);
    const batch = this.settings.batchSize;
    const n = this.evaluationSets.size;
    const images = this.imageBuffer(`evaluation images ${n}`, pixels);
    const probabilities = this.buffer(`evaluation probabilities ${n}`, count * this.plan.classes * 4);
    const gather = evaluationGatherShader(batch, pixelsPerImage);
    const softmax = probabilitiesShader(batch, this.plan.classes);
    const made: EvaluationSet = {
      count,
      probabilities,
      gather: this.makeDispatch('evaluation gather', gather, [this.evaluationState, images, this.batchInput!.x], linearWorkgroups(batch * pixelsPerImage)),
      softmax: this.makeDispatch('evaluation probabilities', softmax, [this.evaluationState, this.lastActivations!, probabilities], linearWorkgroups(batch)),
    };
    this.evaluationSets.set(pixels, made);
    return made;
  }

  /**
   * The model's probabilities (classes a row) for the first `count` images of `pixels`, computed
   * in one submission on the GPU with the weights as they are now; the set stays on the GPU for
   * the next call with the same array.
   */
  async evaluate(pixels: Uint8Array, count: number): Promise<Float32Array<ArrayBuffer>> {
    const set = this.evaluationSet(pixels);
    if (count > set.count) throw new Error(`${count} images asked of a set of ${set.count}`);
    if (count === 0) return new Float32Array(0);
    this.device.queue.writeBuffer(this.evaluationState, 12, new Uint32Array([0, count]));
    const batches = Math.ceil(count / this.settings.batchSize);
    this.submit([this.evaluationAdvance!, set.gather, ...this.inference, set.softmax], batches);
    return this.read(set.probabilities, count * this.plan.classes * 4);
  }

  /** An epoch's order of the images (a shuffle), written once; the steps then take it batch by batch. */
  startEpoch(order: Uint32Array): void {
    if (order.length > this.imageCount) throw new Error(`an order of ${order.length} for ${this.imageCount} images`);
    this.device.queue.writeBuffer(this.order!, 0, order);
    this.device.queue.writeBuffer(this.state, 12, new Uint32Array([0, order.length]));
  }

  /** Queues `steps` training steps in one submission; resolves when the GPU has done them. */
  encodeSteps(steps: number): Promise<void> {
    if (!this.gather) throw new Error('the engine has no images yet (setData)');
    const [advance, ...rest] = this.dispatches;
    this.submit([advance!, this.gather, ...rest], steps);
    return this.device.queue.onSubmittedWorkDone();
  }

  /** Encodes `dispatches` `times` over in one compute pass and submits it. */
  private submit(dispatches: Dispatch[], times: number): void {
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (let s = 0; s < times; s++) {
      for (const { pipeline, bindGroup, workgroups } of dispatches) {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
      }
    }
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Copies `source` out and reads it once the GPU has finished everything queued before. */
  private async read(source: GPUBuffer, bytes: number, clear = false): Promise<Float32Array<ArrayBuffer>> {
    const staging = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, staging, 0, bytes);
    if (clear) encoder.clearBuffer(source);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const values = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    staging.destroy();
    return values;
  }

  /** The last step's batch as the network saw it (after augmentation), for checks. */
  async readBatchInput(): Promise<Float32Array> {
    const x = this.batchInput!.x;
    return this.read(x, x.size);
  }

  /** Mean loss and accuracy over the steps since the last call: the one readback of a reporting interval. */
  async takeMetrics(): Promise<StepMetrics> {
    const [loss, right, images] = await this.read(this.metrics, 16, true);
    return { loss: images ? loss! / images : NaN, accuracy: images ? right! / images : NaN, images: images! };
  }

  setWeights(weights: Float32Array[]): void {
    const flat = new Float32Array(this.plan.parameterCount);
    this.plan.parameters.forEach((slot, i) => {
      const values = weights[i];
      if (values?.length !== slot.size) throw new Error(`weight ${i} (${slot.name}) has ${values?.length ?? 0} values; the engine needs ${slot.size}`);
      flat.set(values, slot.offset);
    });
    this.device.queue.writeBuffer(this.params, 0, flat);
  }

  /** The weights, in tfjs' getWeights() order (to write a checkpoint). */
  async readWeights(): Promise<Float32Array[]> {
    const flat = await this.read(this.params, this.plan.parameterCount * 4);
    return this.plan.parameters.map((slot) => flat.slice(slot.offset, slot.offset + slot.size));
  }

  dispose(): void {
    for (const buffer of this.buffers) buffer.destroy();
    this.buffers.length = 0;
  }
}
