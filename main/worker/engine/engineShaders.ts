import type { Activation } from '../../../shared/layers/layerSpec';
import type { UpdateRule } from '../../../shared/training/optimizerRules';
import type { Augmentation } from '../../../shared/training/trainingSettings';
import { batchNormEpsilon, batchNormMomentum, type BatchNormOp, type WindowGeometry } from './enginePlan';

// The engine's WGSL, one generator per kernel. Sizes are baked in as constants: a run builds
// each pipeline once, for its own shapes, so no kernel reads a uniform it could know at compile
// time. Every kernel that depends on the step reads the step state the `advance` kernel writes,
// so many steps can be queued in one submission with nothing written from JavaScript.

/** WebGPU's guaranteed most workgroups in one dimension; a linear dispatch past it folds into a second. */
export const maxWorkgroupsPerDimension = 65535;
/** Threads a workgroup in the linear kernels (their `@workgroup_size(256)`). */
export const linearWorkgroupSize = 256;
/** Threads in one row of a folded linear dispatch: the linear kernels add gid.y rows of them. */
const foldedRow = maxWorkgroupsPerDimension * linearWorkgroupSize;

/** The step state, shared by every kernel: the optimiser's step count and this batch's place in the epoch's order. */
export const stepStateStruct = `
struct StepState {
  step: u32,
  start: u32,
  rows: u32,
  next: u32,
  count: u32,
  seed: u32,
}`;

/** Starts a step: counts it and takes the next `batch` images of the epoch's order (fewer at its end). */
export function advanceShader(batch: number): string {
  return `${stepStateStruct}
@group(0) @binding(0) var<storage, read_write> state: StepState;
@compute @workgroup_size(1)
fn main() {
  state.step = state.step + 1u;
  state.start = state.next;
  state.rows = min(${batch}u, state.count - state.next);
  state.next = state.next + state.rows;
}`;
}

/** Pixel `at` of the images kept as bytes, four a word, ÷255: every gather reads its images through it. */
const pixelRead = `
fn pixelAt(at: u32) -> f32 {
  return f32((images[at / 4u] >> (8u * (at % 4u))) & 255u) / 255.0;
}`;

/** A counter stream of its own for the augmentation's draws, apart from every dropout's. */
const augmentationStream = 0x6a09e667;

/**
 * Each image moved by a random shift and rotation drawn from the step's counter, as
 * shared/training/augmentation.ts's augmentInPlace does on the CPU: the inverse map from an output pixel to the
 * source, sampled bilinearly with zeros outside.
 */
function augmentedPixel(side: number, augmentation: Augmentation): string {
  const centre = (side - 1) / 2;
  const shift = (k: number) => `floor((draw(state.seed, state.step, ${augmentationStream}u, row * 3u + ${k}u) * 2.0 - 1.0) * ${augmentation.maxShift} + 0.5)`;
  return `
fn byteAt(image: u32, sx: i32, sy: i32) -> f32 {
  if (sx < 0 || sy < 0 || sx >= ${side} || sy >= ${side}) { return 0.0; }
  return pixelAt(image * ${side * side}u + u32(sy) * ${side}u + u32(sx));
}
fn sample(image: u32, row: u32, pixel: u32) -> f32 {
  let angle = (draw(state.seed, state.step, ${augmentationStream}u, row * 3u) * 2.0 - 1.0) * ${(augmentation.maxRotationDegrees * Math.PI) / 180};
  let ux = f32(pixel % ${side}u) - ${shift(1)} - ${centre};
  let uy = f32(pixel / ${side}u) - ${shift(2)} - ${centre};
  let sx = cos(angle) * ux + sin(angle) * uy + ${centre};
  let sy = -sin(angle) * ux + cos(angle) * uy + ${centre};
  let x0 = i32(floor(sx));
  let y0 = i32(floor(sy));
  let fx = sx - floor(sx);
  let fy = sy - floor(sy);
  return byteAt(image, x0, y0) * (1.0 - fx) * (1.0 - fy) + byteAt(image, x0 + 1, y0) * fx * (1.0 - fy)
    + byteAt(image, x0, y0 + 1) * (1.0 - fx) * fy + byteAt(image, x0 + 1, y0 + 1) * fx * fy;
}`;
}

/**
 * The batch from the images kept on the GPU as bytes: ÷255 (then shifted and rotated, when the
 * run augments), and each row's label; rows past the batch's end are zeros.
 */
export function gatherShader(batch: number, pixels: number, augmentation: Augmentation | null): string {
  const side = Math.round(Math.sqrt(pixels));
  const value = augmentation ? 'sample(image, row, pixel)' : `pixelAt(image * ${pixels}u + pixel)`;
  return `${stepStateStruct}
${pixelRead}
${
  augmentation
    ? `${counterHash}
${augmentedPixel(side, augmentation)}`
    : ''
}
@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> images: array<u32>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read> order: array<u32>;
@group(0) @binding(4) var<storage, read_write> x: array<f32>;
@group(0) @binding(5) var<storage, read_write> batchLabels: array<u32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * ${foldedRow}u + gid.x;
  if (i >= ${batch * pixels}u) { return; }
  let row = i / ${pixels}u;
  let pixel = i % ${pixels}u;
  if (row >= state.rows) {
    x[i] = 0.0;
    return;
  }
  let image = order[state.start + row];
  x[i] = ${value};
  if (pixel == 0u) { batchLabels[row] = labels[image]; }
}`;
}

/** The batch of an evaluation: the set's next images in their order, ÷255, no augmentation. */
export function evaluationGatherShader(batch: number, pixels: number): string {
  return `${stepStateStruct}
${pixelRead}
@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> images: array<u32>;
@group(0) @binding(2) var<storage, read_write> x: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * ${foldedRow}u + gid.x;
  if (i >= ${batch * pixels}u) { return; }
  let row = i / ${pixels}u;
  if (row >= state.rows) {
    x[i] = 0.0;
    return;
  }
  x[i] = pixelAt((state.start + row) * ${pixels}u + i % ${pixels}u);
}`;
}

/** An evaluation batch's softmax probabilities, written at the batch's place among the set's. */
export function probabilitiesShader(batch: number, classes: number): string {
  return `${stepStateStruct}
@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> probabilities: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let r = gid.x;
  if (r >= ${batch}u || r >= state.rows) { return; }
  let base = r * ${classes}u;
  var top = logits[base];
  for (var c = 1u; c < ${classes}u; c = c + 1u) { top = max(top, logits[base + c]); }
  var sum = 0.0;
  for (var c = 0u; c < ${classes}u; c = c + 1u) { sum = sum + exp(logits[base + c] - top); }
  let out = (state.start + r) * ${classes}u;
  for (var c = 0u; c < ${classes}u; c = c + 1u) { probabilities[out + c] = exp(logits[base + c] - top) / sum; }
}`;
}

const selu = { scale: 1.0507009873554805, alpha: 1.6732632423543772 };

/** WGSL for an activation of v. */
function activate(activation: Activation, v: string): string {
  switch (activation) {
    case 'relu':
      return `max(${v}, 0.0)`;
    case 'sigmoid':
      return `1.0 / (1.0 + exp(-${v}))`;
    case 'tanh':
      return `tanh(${v})`;
    case 'elu':
      return `select(exp(${v}) - 1.0, ${v}, ${v} > 0.0)`;
    case 'selu':
      return `select(${selu.scale * selu.alpha} * (exp(${v}) - 1.0), ${selu.scale} * ${v}, ${v} > 0.0)`;
    // softmax is the loss kernel's: the last layer writes its logits.
    case 'linear':
    case 'softmax':
      return v;
  }
}

/** WGSL for an activation's derivative, from its output y. */
export function activationDerivative(activation: Activation, y: string): string {
  switch (activation) {
    case 'relu':
      return `select(0.0, 1.0, ${y} > 0.0)`;
    case 'sigmoid':
      return `${y} * (1.0 - ${y})`;
    case 'tanh':
      return `1.0 - ${y} * ${y}`;
    case 'elu':
      return `select(${y} + 1.0, 1.0, ${y} > 0.0)`;
    case 'selu':
      return `select(${y} + ${selu.scale * selu.alpha}, ${selu.scale}, ${y} > 0.0)`;
    case 'linear':
    case 'softmax':
      return '1.0';
  }
}

/**
 * A counter-based generator (a 32-bit integer hash of seed, step, stream and index): the same
 * draw wherever it is asked for, from nothing but numbers the kernels already hold, so a
 * dropout mask is the same in the forward pass and its gradient.
 */
const counterHash = `
fn hash(v: u32) -> u32 {
  var h = v;
  h = h ^ (h >> 16u);
  h = h * 0x7feb352du;
  h = h ^ (h >> 15u);
  h = h * 0x846ca68bu;
  h = h ^ (h >> 16u);
  return h;
}
fn draw(seed: u32, step: u32, stream: u32, i: u32) -> f32 {
  let h = hash(i ^ hash((step * 0x9e3779b9u) ^ hash(seed + stream * 0x85ebca6bu)));
  return f32(h >> 8u) / 16777216.0;
}`;

/** Whether dropout keeps value i: kept ones scaled by 1 / (1 − rate). */
export const dropoutKeep = `${counterHash}
fn keep(seed: u32, step: u32, stream: u32, i: u32, rate: f32) -> f32 {
  return select(0.0, 1.0 / (1.0 - rate), draw(seed, step, stream, i) >= rate);
}`;

export interface MatmulShape {
  /** Output rows and columns, and the length of the sum. */
  rows: number;
  columns: number;
  depth: number;
}

/** Each workgroup computes a `matmulTile` × `matmulTile` block of C; each of its 16 × 16 threads a 4 × 4 block of that. */
export const matmulTile = 64;

/**
 * C = A · B in 64 × 64 blocks through workgroup memory, 4 × 4 outputs a thread held in
 * registers, with A, B and the store given as WGSL snippets over (row, k), (k, column) and
 * (row, column, acc): the dense layer's forward pass, its input gradient and its weight gradient
 * are this kernel with different reads and writes.
 */
export function matmulShader(shape: MatmulShape, bindings: string, readA: string, readB: string, store: string, helpers = '', splits = 1): string {
  // With splits, workgroup z sums its own stretch of the depth (a multiple of the 16-deep tile).
  const chunk = Math.ceil(shape.depth / splits / 16) * 16;
  return `${stepStateStruct}
${bindings}
${helpers}
var<workgroup> tileA: array<array<f32, 16>, 64>;
var<workgroup> tileB: array<array<f32, 64>, 16>;
fn a(row: u32, k: u32) -> f32 {
  if (row >= ${shape.rows}u || k >= ${shape.depth}u) { return 0.0; }
  return ${readA};
}
fn b(k: u32, column: u32) -> f32 {
  if (k >= ${shape.depth}u || column >= ${shape.columns}u) { return 0.0; }
  return ${readB};
}
@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let rowBase = wid.y * 64u;
  let columnBase = wid.x * 64u;
  let flat = lid.y * 16u + lid.x;
  var accs: array<array<f32, 4>, 4>;
  let kBegin = wid.z * ${chunk}u;
  let kEnd = min(kBegin + ${chunk}u, ${shape.depth}u);
  for (var k0 = kBegin; k0 < kEnd; k0 = k0 + 16u) {
    for (var l = 0u; l < 4u; l = l + 1u) {
      let e = flat * 4u + l;
      tileA[e / 16u][e % 16u] = a(rowBase + e / 16u, k0 + e % 16u);
      tileB[e / 64u][e % 64u] = b(k0 + e / 64u, columnBase + e % 64u);
    }
    workgroupBarrier();
    for (var k = 0u; k < 16u; k = k + 1u) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i = i + 1u) {
        av[i] = tileA[lid.y * 4u + i][k];
        bv[i] = tileB[k][lid.x * 4u + i];
      }
      for (var i = 0u; i < 4u; i = i + 1u) {
        for (var j = 0u; j < 4u; j = j + 1u) {
          accs[i][j] = accs[i][j] + av[i] * bv[j];
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    for (var j = 0u; j < 4u; j = j + 1u) {
      let row = rowBase + lid.y * 4u + i;
      let column = columnBase + lid.x * 4u + j;
      let acc = accs[i][j];
      if (row < ${shape.rows}u && column < ${shape.columns}u) {
        ${store}
      }
    }
  }
}`;
}

/** A dense layer's forward pass: out = activation(x · W + b). */
export function denseForwardShader(batch: number, inputs: number, units: number, kernel: number, bias: number, activation: Activation): string {
  return matmulShader(
    { rows: batch, columns: units, depth: inputs },
    `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;`,
    `x[row * ${inputs}u + k]`,
    `params[${kernel}u + k * ${units}u + column]`,
    `let v = acc + params[${bias}u + column];
    y[row * ${units}u + column] = ${activate(activation, 'v')};`,
  );
}

/** What a dense layer's input gradient passes through on its way back: a dropout's mask, then the activation of the layer before. */
export interface BackwardChain {
  dropout: { rate: number; stream: number } | null;
  /** The activation that produced the values the dropout (or the dense layer) read, and the buffer holding them. */
  activation: Activation;
}

/** A dense layer's input gradient: dx = (dy · Wᵀ) ∘ mask ∘ activation′(the previous layer's output). */
export function denseInputGradientShader(batch: number, inputs: number, units: number, kernel: number, chain: BackwardChain): string {
  return matmulShader(
    { rows: batch, columns: inputs, depth: units },
    `@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> params: array<f32>;
@group(0) @binding(3) var<storage, read> before: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;`,
    `dy[row * ${units}u + k]`,
    `params[${kernel}u + column * ${units}u + k]`,
    `dx[row * ${inputs}u + column] = acc${chainFactor(chain, `row * ${inputs}u + column`)};`,
    chain.dropout ? dropoutKeep : '',
  );
}

/** A dense layer's weight and bias gradients in one: rows 0…inputs−1 are xᵀ · dy, the extra row the bias's Σ dy. */
export function denseWeightGradientShader(batch: number, inputs: number, units: number, kernel: number, bias: number): string {
  return matmulShader(
    { rows: inputs + 1, columns: units, depth: batch },
    `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> grads: array<f32>;`,
    `select(1.0, x[k * ${inputs}u + row], row < ${inputs}u)`,
    `dy[k * ${units}u + column]`,
    `if (row < ${inputs}u) { grads[${kernel}u + row * ${units}u + column] = acc; } else { grads[${bias}u + column] = acc; }`,
  );
}

/** Dropout's forward pass over a batch: the mask drawn from the step's counter. */
export function dropoutShader(batch: number, width: number, rate: number, stream: number): string {
  return `${stepStateStruct}
@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${dropoutKeep}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * ${foldedRow}u + gid.x;
  if (i >= ${batch * width}u) { return; }
  y[i] = x[i] * keep(state.seed, state.step, ${stream}u, i, ${rate});
}`;
}

/**
 * Softmax and categorical cross-entropy in one workgroup: each row's loss (on probabilities
 * clipped to [1e-7, 1 − 1e-7], as Keras does), whether its top class is its label, and the
 * logits' gradient (p − y) / rows; the batch's sums are added to the metrics on the GPU.
 */
export function lossShader(batch: number, classes: number): string {
  return `${stepStateStruct}
@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> batchLabels: array<u32>;
@group(0) @binding(3) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(4) var<storage, read_write> metrics: array<f32>;
var<workgroup> lossPart: array<f32, 256>;
var<workgroup> rightPart: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let rows = state.rows;
  var loss = 0.0;
  var right = 0.0;
  for (var r = lid.x; r < ${batch}u; r = r + 256u) {
    let base = r * ${classes}u;
    if (r >= rows) {
      for (var c = 0u; c < ${classes}u; c = c + 1u) { dlogits[base + c] = 0.0; }
      continue;
    }
    var top = logits[base];
    var best = 0u;
    for (var c = 1u; c < ${classes}u; c = c + 1u) {
      if (logits[base + c] > top) { top = logits[base + c]; best = c; }
    }
    var sum = 0.0;
    for (var c = 0u; c < ${classes}u; c = c + 1u) { sum = sum + exp(logits[base + c] - top); }
    let label = batchLabels[r];
    for (var c = 0u; c < ${classes}u; c = c + 1u) {
      let p = exp(logits[base + c] - top) / sum;
      dlogits[base + c] = (p - select(0.0, 1.0, c == label)) / f32(rows);
    }
    loss = loss - log(clamp(exp(logits[base + label] - top) / sum, 1e-7, 1.0 - 1e-7));
    right = right + select(0.0, 1.0, best == label);
  }
  lossPart[lid.x] = loss;
  rightPart[lid.x] = right;
  workgroupBarrier();
  for (var half = 128u; half > 0u; half = half / 2u) {
    if (lid.x < half) {
      lossPart[lid.x] = lossPart[lid.x] + lossPart[lid.x + half];
      rightPart[lid.x] = rightPart[lid.x] + rightPart[lid.x + half];
    }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    metrics[0] = metrics[0] + lossPart[0];
    metrics[1] = metrics[1] + rightPart[0];
    metrics[2] = metrics[2] + f32(rows);
  }
}`;
}

/** The optimiser's update of every parameter in one dispatch, by the rule of shared/training/optimizerRules.ts. */
export function optimizerShader(count: number, rule: UpdateRule, learningRate: number, epsilon: number): string {
  const { decay1: d1, decay2: d2 } = rule;
  const update = {
    adam: `let m = ${d1} * state1[i] + ${1 - d1} * g;
    let v = ${d2} * state2[i] + ${1 - d2} * g * g;
    state1[i] = m;
    state2[i] = v;
    let t = f32(state.step);
    params[i] = params[i] - (${learningRate} * (m / (1.0 - pow(${d1}, t)))) / (sqrt(v / (1.0 - pow(${d2}, t))) + ${epsilon});`,
    rmsprop: `let s = ${d1} * state1[i] + ${1 - d1} * g * g;
    state1[i] = s;
    params[i] = params[i] - (${learningRate} * g) / sqrt(s + ${epsilon});`,
    momentum: `let a = ${d1} * state1[i] + g;
    state1[i] = a;
    params[i] = params[i] - ${learningRate} * a;`,
    sgd: `params[i] = params[i] - ${learningRate} * g;`,
  }[rule.name];
  return `${stepStateStruct}
@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> params: array<f32>;
@group(0) @binding(3) var<storage, read_write> state1: array<f32>;
@group(0) @binding(4) var<storage, read_write> state2: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * ${foldedRow}u + gid.x;
  if (i >= ${count}u) { return; }
  let g = grads[i];
  ${update}
}`;
}

/** x at (image, output row and column, window row and column, channel): 0 in the padding. */
function convInputRead(g: WindowGeometry): string {
  const [h, w, c] = g.input;
  return `
fn inputAt(img: u32, oy: u32, ox: u32, ky: u32, kx: u32, ci: u32) -> f32 {
  let iy = i32(oy * ${g.stride}u + ky) - ${g.padTop};
  let ix = i32(ox * ${g.stride}u + kx) - ${g.padLeft};
  if (iy < 0 || ix < 0 || iy >= ${h} || ix >= ${w}) { return 0.0; }
  return x[((img * ${h}u + u32(iy)) * ${w}u + u32(ix)) * ${c}u + ci];
}`;
}

/** A convolution's forward pass as an implicit GEMM: rows are output positions, the depth is the window. */
export function convForwardShader(batch: number, g: WindowGeometry, kernel: number, bias: number, activation: Activation): string {
  const [oh, ow, cout] = g.output;
  const cin = g.input[2];
  return matmulShader(
    { rows: batch * oh * ow, columns: cout, depth: g.size * g.size * cin },
    `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;`,
    `inputAt(row / ${oh * ow}u, (row / ${ow}u) % ${oh}u, row % ${ow}u, k / ${g.size * cin}u, (k / ${cin}u) % ${g.size}u, k % ${cin}u)`,
    `params[${kernel}u + k * ${cout}u + column]`,
    `let v = acc + params[${bias}u + column];
    y[row * ${cout}u + column] = ${activate(activation, 'v')};`,
    convInputRead(g),
  );
}

/** How a gradient is finished on its way into a buffer: the dropout's mask, then the derivative of what produced the buffer. */
function chainFactor(chain: BackwardChain, index: string): string {
  const mask = chain.dropout ? ` * keep(state.seed, state.step, ${chain.dropout.stream}u, ${index}, ${chain.dropout.rate})` : '';
  return `${mask} * (${activationDerivative(chain.activation, `before[${index}]`)})`;
}

/** A convolution's input gradient as an implicit GEMM over (window, output channel): dx = Σ dy · W at the positions each input reached. */
export function convInputGradientShader(batch: number, g: WindowGeometry, kernel: number, chain: BackwardChain): string {
  const [h, w, cin] = g.input;
  const [oh, ow, cout] = g.output;
  return matmulShader(
    { rows: batch * h * w, columns: cin, depth: g.size * g.size * cout },
    `@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> params: array<f32>;
@group(0) @binding(3) var<storage, read> before: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;`,
    `outputGradientAt(row, k)`,
    `params[${kernel}u + (((k / ${cout * g.size}u) * ${g.size}u + (k / ${cout}u) % ${g.size}u) * ${cin}u + column) * ${cout}u + k % ${cout}u]`,
    `dx[row * ${cin}u + column] = acc${chainFactor(chain, `row * ${cin}u + column`)};`,
    `${chain.dropout ? dropoutKeep : ''}
fn outputGradientAt(row: u32, k: u32) -> f32 {
  let img = row / ${h * w}u;
  let iy = (row / ${w}u) % ${h}u;
  let ix = row % ${w}u;
  let co = k % ${cout}u;
  let kx = (k / ${cout}u) % ${g.size}u;
  let ky = k / ${cout * g.size}u;
  let ny = i32(iy) + ${g.padTop} - i32(ky);
  let nx = i32(ix) + ${g.padLeft} - i32(kx);
  if (ny < 0 || nx < 0 || ny % ${g.stride} != 0 || nx % ${g.stride} != 0) { return 0.0; }
  let oy = u32(ny / ${g.stride});
  let ox = u32(nx / ${g.stride});
  if (oy >= ${oh}u || ox >= ${ow}u) { return 0.0; }
  return dy[((img * ${oh}u + oy) * ${ow}u + ox) * ${cout}u + co];
}`,
  );
}

/** Splits of a convolution's filter gradient: its depth (every output position of the batch) shared out so a large GPU fills up. */
export function filterGradientSplits(batch: number, g: WindowGeometry): number {
  const depth = batch * g.output[0] * g.output[1];
  return Math.max(1, Math.min(64, Math.floor(depth / 256)));
}

/** A convolution's filter and bias gradients, split over the batch's positions into partial sums (the next kernel adds them). */
export function convFilterGradientShader(batch: number, g: WindowGeometry, splits: number): string {
  const [oh, ow, cout] = g.output;
  const cin = g.input[2];
  const rows = g.size * g.size * cin + 1;
  return matmulShader(
    { rows, columns: cout, depth: batch * oh * ow },
    `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;`,
    `select(1.0, inputAt(k / ${oh * ow}u, (k / ${ow}u) % ${oh}u, k % ${ow}u, row / ${g.size * cin}u, (row / ${cin}u) % ${g.size}u, row % ${cin}u), row < ${rows - 1}u)`,
    `dy[k * ${cout}u + column]`,
    `partial[(wid.z * ${rows}u + row) * ${cout}u + column] = acc;`,
    convInputRead(g),
    splits,
  );
}

/** The sum of the filter gradient's splits, into the parameter gradients (kernel rows, then the bias row). */
export function splitSumShader(rows: number, columns: number, splits: number, kernel: number, bias: number): string {
  return `@group(0) @binding(0) var<storage, read> partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> grads: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * ${foldedRow}u + gid.x;
  if (i >= ${rows * columns}u) { return; }
  var sum = 0.0;
  for (var z = 0u; z < ${splits}u; z = z + 1u) { sum = sum + partial[z * ${rows * columns}u + i]; }
  let row = i / ${columns}u;
  if (row < ${rows - 1}u) { grads[${kernel}u + i] = sum; } else { grads[${bias}u + i % ${columns}u] = sum; }
}`;
}

/** Pooling's forward pass: each output the max (its winner's place kept) or the mean of its window. */
export function poolForwardShader(batch: number, g: WindowGeometry, mode: 'max' | 'average'): string {
  const [h, w, c] = g.input;
  const [oh, ow] = g.output;
  return `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> winners: array<u32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * ${foldedRow}u + gid.x;
  if (i >= ${batch * oh * ow * c}u) { return; }
  let ch = i % ${c}u;
  let ox = (i / ${c}u) % ${ow}u;
  let oy = (i / ${c * ow}u) % ${oh}u;
  let img = i / ${c * ow * oh}u;
  var best = -3.4e38;
  var winner = 0u;
  var sum = 0.0;
  for (var ky = 0u; ky < ${g.size}u; ky = ky + 1u) {
    for (var kx = 0u; kx < ${g.size}u; kx = kx + 1u) {
      let iy = i32(oy * ${g.stride}u + ky) - ${g.padTop};
      let ix = i32(ox * ${g.stride}u + kx) - ${g.padLeft};
      if (iy < 0 || ix < 0 || iy >= ${h} || ix >= ${w}) { continue; }
      let at = ((img * ${h}u + u32(iy)) * ${w}u + u32(ix)) * ${c}u + ch;
      let v = x[at];
      sum = sum + v;
      if (v > best) { best = v; winner = at; }
    }
  }
  ${mode === 'max' ? 'y[i] = best;\n  winners[i] = winner;' : `y[i] = sum / ${g.size * g.size}.0;\n  winners[i] = 0u;`}
}`;
}

/** Pooling's input gradient: each input gathers what the windows it won (max) or shared (average) pass back. */
export function poolBackwardShader(batch: number, g: WindowGeometry, mode: 'max' | 'average', chain: BackwardChain): string {
  const [h, w, c] = g.input;
  const [oh, ow] = g.output;
  return `${stepStateStruct}
@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> winners: array<u32>;
@group(0) @binding(3) var<storage, read> before: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;
${chain.dropout ? dropoutKeep : ''}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * ${foldedRow}u + gid.x;
  if (i >= ${batch * h * w * c}u) { return; }
  let ch = i % ${c}u;
  let ix = i32((i / ${c}u) % ${w}u);
  let iy = i32((i / ${c * w}u) % ${h}u);
  let img = i / ${c * w * h}u;
  var sum = 0.0;
  for (var oy = max(0, (iy + ${g.padTop} - ${g.size - 1} + ${g.stride - 1}) / ${g.stride}); oy <= min(${oh - 1}, (iy + ${g.padTop}) / ${g.stride}); oy = oy + 1) {
    for (var ox = max(0, (ix + ${g.padLeft} - ${g.size - 1} + ${g.stride - 1}) / ${g.stride}); ox <= min(${ow - 1}, (ix + ${g.padLeft}) / ${g.stride}); ox = ox + 1) {
      let o = ((img * ${oh}u + u32(oy)) * ${ow}u + u32(ox)) * ${c}u + ch;
      ${mode === 'max' ? 'if (winners[o] == i) { sum = sum + dy[o]; }' : `sum = sum + dy[o] / ${g.size * g.size}.0;`}
    }
  }
  dx[i] = sum${chainFactor(chain, 'i')};
}`;
}

/** The sum of v over the workgroup's 256 threads, for every thread (called in uniform control flow). */
const workgroupTotal = `
var<workgroup> part: array<f32, 256>;
fn total(v: f32, lid: u32) -> f32 {
  part[lid] = v;
  workgroupBarrier();
  for (var half = 128u; half > 0u; half = half / 2u) {
    if (lid < half) { part[lid] = part[lid] + part[lid + half]; }
    workgroupBarrier();
  }
  let sum = part[0];
  workgroupBarrier();
  return sum;
}`;

/**
 * Batch normalisation in training, one workgroup a channel: the batch's mean and (biased)
 * variance over its images' positions, kept for the gradient; the moving statistics advanced;
 * then the channel normalised, scaled, shifted and activated.
 */
export function batchNormForwardShader(batch: number, op: BatchNormOp): string {
  const { channels: c, positions } = op;
  return `${stepStateStruct}
@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> params: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<f32>;
${workgroupTotal}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let ch = wid.x;
  let valid = state.rows * ${positions}u;
  var sum = 0.0;
  for (var m = lid.x; m < ${batch * positions}u; m = m + 256u) {
    if (m < valid) { sum = sum + x[m * ${c}u + ch]; }
  }
  let mean = total(sum, lid.x) / f32(valid);
  var squares = 0.0;
  for (var m = lid.x; m < ${batch * positions}u; m = m + 256u) {
    if (m < valid) {
      let d = x[m * ${c}u + ch] - mean;
      squares = squares + d * d;
    }
  }
  let variance = total(squares, lid.x) / f32(valid);
  let inverse = inverseSqrt(variance + ${batchNormEpsilon});
  if (lid.x == 0u) {
    stats[ch] = mean;
    stats[${c}u + ch] = inverse;
    let mm = ${op.movingMean.offset}u + ch;
    let mv = ${op.movingVariance.offset}u + ch;
    params[mm] = params[mm] - (params[mm] - mean) * ${1 - batchNormMomentum};
    params[mv] = params[mv] - (params[mv] - variance) * ${1 - batchNormMomentum};
  }
  let scale = params[${op.gamma.offset}u + ch] * inverse;
  let shift = params[${op.beta.offset}u + ch];
  for (var m = lid.x; m < ${batch * positions}u; m = m + 256u) {
    let v = (x[m * ${c}u + ch] - mean) * scale + shift;
    y[m * ${c}u + ch] = ${activate(op.activation, 'v')};
  }
}`;
}

/**
 * Batch normalisation's gradients, one workgroup a channel: γ's and β's, and the input's,
 * dx = γ / σ · (dy − mean(dy) − x̂ · mean(dy · x̂)) over the batch's real rows (0 past them),
 * finished by the chain before it; without a chain (it reads the images) only γ's and β's.
 */
export function batchNormBackwardShader(batch: number, op: BatchNormOp, chain: BackwardChain | null): string {
  const { channels: c, positions } = op;
  const inputGradient = chain
    ? `@group(0) @binding(6) var<storage, read> before: array<f32>;
@group(0) @binding(7) var<storage, read_write> dx: array<f32>;
${chain.dropout ? dropoutKeep : ''}`
    : '';
  const write = chain
    ? `let scale = params[${op.gamma.offset}u + ch] * inverse;
  for (var m = lid.x; m < ${batch * positions}u; m = m + 256u) {
    let i = m * ${c}u + ch;
    if (m >= valid) {
      dx[i] = 0.0;
      continue;
    }
    let normed = (x[i] - mean) * inverse;
    dx[i] = scale * (dy[i] - meanDy - normed * meanDyNormed)${chainFactor(chain, 'i')};
  }`
    : '';
  return `${stepStateStruct}
@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> params: array<f32>;
@group(0) @binding(4) var<storage, read> stats: array<f32>;
@group(0) @binding(5) var<storage, read_write> grads: array<f32>;
${inputGradient}
${workgroupTotal}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let ch = wid.x;
  let valid = state.rows * ${positions}u;
  let mean = stats[ch];
  let inverse = stats[${c}u + ch];
  var sumDy = 0.0;
  var sumDyNormed = 0.0;
  for (var m = lid.x; m < ${batch * positions}u; m = m + 256u) {
    if (m < valid) {
      let i = m * ${c}u + ch;
      sumDy = sumDy + dy[i];
      sumDyNormed = sumDyNormed + dy[i] * (x[i] - mean) * inverse;
    }
  }
  let totalDy = total(sumDy, lid.x);
  let totalDyNormed = total(sumDyNormed, lid.x);
  if (lid.x == 0u) {
    grads[${op.gamma.offset}u + ch] = totalDyNormed;
    grads[${op.beta.offset}u + ch] = totalDy;
  }
  let meanDy = totalDy / f32(valid);
  let meanDyNormed = totalDyNormed / f32(valid);
  ${write}
}`;
}

/** Batch normalisation in inference (evaluation): the moving statistics, then the activation. */
export function batchNormInferenceShader(batch: number, op: BatchNormOp): string {
  const c = op.channels;
  return `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * ${foldedRow}u + gid.x;
  if (i >= ${batch * op.positions * c}u) { return; }
  let ch = i % ${c}u;
  let scale = params[${op.gamma.offset}u + ch] * inverseSqrt(params[${op.movingVariance.offset}u + ch] + ${batchNormEpsilon});
  let v = (x[i] - params[${op.movingMean.offset}u + ch]) * scale + params[${op.beta.offset}u + ch];
  y[i] = ${activate(op.activation, 'v')};
}`;
}

/** An Activation layer of its own: y = activation(x). */
export function activationShader(count: number, activation: Activation): string {
  return `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * ${foldedRow}u + gid.x;
  if (i >= ${count}u) { return; }
  let v = x[i];
  y[i] = ${activate(activation, 'v')};
}`;
}

/** An Activation layer's input gradient: its own derivative is already in dy, so what is left is the chain before it. */
export function activationBackwardShader(count: number, chain: BackwardChain): string {
  return `${stepStateStruct}
@group(0) @binding(0) var<storage, read> state: StepState;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> before: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
${chain.dropout ? dropoutKeep : ''}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.y * ${foldedRow}u + gid.x;
  if (i >= ${count}u) { return; }
  dx[i] = dy[i]${chainFactor(chain, 'i')};
}`;
}
