import type { ImportedFormat } from '../../../shared/apiTypes';
import { hdf5Path, readHdf5, startsLikeHdf5, type Hdf5Group, type Hdf5Node } from './hdf5Reader';
import { kerasSavedLayerKeys, planFromKerasConfig, UnsupportedModelError, weightVariables, type ImportPlan } from './kerasModelConfig';
import { decodeTfjsWeight, type ManifestWeight } from './tfjsWeights';
import { isZip, readZip, type ZipEntry } from './zipReader';

// The model files other tools write, read into an import plan and its weights:
//  - a Keras HDF5 file (`model.save('model.h5')`, Keras 2, tf.keras and Keras 3's legacy format);
//  - a `.keras` file (Keras 3 and tf.keras 2.13+: a zip of config.json and model.weights.h5);
//  - tfjs' layers format: model.json with its weights files, or all of them in a zip.

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface ImportedWeight {
  /** Where it came from in the file, for messages: `conv2d/kernel`. */
  name: string;
  shape: number[];
  values: Float32Array<ArrayBuffer>;
}

export interface ImportedModel {
  format: ImportedFormat;
  plan: ImportPlan;
  /** Every weight, layer by layer in the plan's order, each layer's in Keras' order. */
  weights: ImportedWeight[];
}

/** The most a zip may unpack to: room for the largest model MNIST Lab trains (50 million float32 weights, 200 MB) and its config. */
const maxUnpackedBytes = 256 * 1024 * 1024;

/** A layer's weights, in the order of `variables`, from wherever the format keeps them. */
type WeightLookup = (layerName: string, variables: string[]) => ImportedWeight[];

const baseName = (path: string) => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

function parseJson(text: string | Uint8Array, what: string): unknown {
  try {
    return JSON.parse(typeof text === 'string' ? text : new TextDecoder().decode(text));
  } catch (error) {
    throw new UnsupportedModelError(`${what} is not valid JSON (${(error as Error).message})`);
  }
}

function datasetWeight(node: Hdf5Node | null, name: string): ImportedWeight {
  if (node?.kind !== 'dataset') throw new UnsupportedModelError(`the file names weight ${name} but does not hold it`);
  return { name, shape: node.shape, values: node.read() };
}

/** A list of strings kept as an attribute, or split over `name0`, `name1`, … as Keras does for long ones. */
function stringListAttribute(group: Hdf5Group, name: string): string[] | null {
  const whole = group.attribute(name);
  if (whole !== null) return Array.isArray(whole) ? whole.map(String) : [String(whole)];
  const parts: string[] = [];
  for (let i = 0; group.attributeNames().includes(`${name}${i}`); i++) {
    const part = group.attribute(`${name}${i}`);
    parts.push(...(Array.isArray(part) ? part.map(String) : [String(part)]));
  }
  return parts.length > 0 ? parts : null;
}

/** A variable's name without its scope and Keras 2's `:0` suffix: `conv2d/kernel:0` → `kernel`. */
const variableName = (weightName: string) => baseName(weightName).replace(/:\d+$/, '');

/** Keras' HDF5 model file: `model_config` at the root, each layer's weights under `model_weights/<layer>`. */
function readKerasH5(bytes: Uint8Array): { config: unknown; lookup: WeightLookup } {
  const root = readHdf5(bytes);
  const configText = root.attribute('model_config');
  if (typeof configText !== 'string') {
    throw new UnsupportedModelError('this HDF5 file holds weights only, without the model (it was written by save_weights); save the whole model with model.save("model.h5")');
  }
  const weightsRoot = root.child('model_weights');
  if (weightsRoot?.kind !== 'group') throw new UnsupportedModelError('the file has a model config but no model_weights group');
  const lookup: WeightLookup = (layerName, variables) => {
    const group = weightsRoot.child(layerName);
    if (group?.kind !== 'group') throw new UnsupportedModelError(`the file has no weights for layer ${layerName}`);
    const names = stringListAttribute(group, 'weight_names') ?? [];
    return variables.map((variable) => {
      const name = names.find((n) => variableName(n) === variable);
      if (!name) throw new UnsupportedModelError(`layer ${layerName} has no ${variable} in the file (it has ${names.map(variableName).join(', ') || 'no weights'})`);
      return datasetWeight(hdf5Path(group, name), `${layerName}/${variable}`);
    });
  };
  return { config: parseJson(configText, 'the model config'), lookup };
}

/**
 * The group holding a layer's `vars` in a `.keras` weights file: `layers/<key>/vars`, where the
 * key is the layer's class in snake case, numbered per class (Keras 3 does not use layer names
 * there; tf.keras 2.13–2.15 wrote `_layer_checkpoint_dependencies` for `layers`).
 */
function kerasLayerVars(root: Hdf5Group, keys: string[]): Hdf5Group | null {
  for (const key of keys) {
    for (const prefix of ['layers', '_layer_checkpoint_dependencies']) {
      const vars = hdf5Path(root, `${prefix}/${key}/vars`);
      if (vars?.kind === 'group') return vars;
    }
  }
  return null;
}

/** Keras 3's `.keras` zip: config.json, and model.weights.h5 with `layers/<layer>/vars/0, 1, …`. */
function readKerasZip(entries: ZipEntry[]): { config: unknown; lookup: WeightLookup } {
  const config = entries.find((e) => e.name === 'config.json');
  const weights = entries.find((e) => e.name === 'model.weights.h5');
  if (!config || !weights) throw new UnsupportedModelError('the .keras file lacks config.json or model.weights.h5');
  const root = readHdf5(weights.bytes);
  const modelConfig = parseJson(config.bytes, 'config.json');
  const keys = kerasSavedLayerKeys(modelConfig);
  const lookup: WeightLookup = (layerName, variables) => {
    const vars = kerasLayerVars(root, [keys.get(layerName) ?? layerName, layerName]);
    if (!vars) throw new UnsupportedModelError(`model.weights.h5 has no weights for layer ${layerName}`);
    const names = vars.childNames().filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
    if (names.length !== variables.length) throw new UnsupportedModelError(`layer ${layerName} holds ${names.length} weights in the file; MNIST Lab's layer has ${variables.length} (${variables.join(', ')})`);
    return variables.map((variable, i) => datasetWeight(vars.child(names[i]!), `${layerName}/${variable}`));
  };
  return { config: modelConfig, lookup };
}

/** tfjs' layers format: model.json's manifest names weights files, read in order as one buffer per group. */
function readTfjs(modelJsonFile: UploadedFile, others: UploadedFile[]): { config: unknown; lookup: WeightLookup } {
  const modelJson = parseJson(modelJsonFile.bytes, modelJsonFile.name) as { format?: unknown; modelTopology?: unknown; weightsManifest?: unknown };
  if (typeof modelJson === 'object' && modelJson?.format === 'graph-model') {
    throw new UnsupportedModelError(`${modelJsonFile.name} is a tfjs graph model (a converted SavedModel): it has no layers to import; convert the Keras model instead (tensorflowjs_converter --input_format keras)`);
  }
  if (typeof modelJson !== 'object' || modelJson === null || !modelJson.modelTopology) throw new UnsupportedModelError(`${modelJsonFile.name} is not a tfjs layers model (it has no modelTopology)`);
  if (!Array.isArray(modelJson.weightsManifest)) throw new UnsupportedModelError(`${modelJsonFile.name} has no weightsManifest`);
  const byName = new Map<string, ImportedWeight>();
  for (const group of modelJson.weightsManifest as { paths?: unknown; weights?: unknown }[]) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) throw new UnsupportedModelError(`${modelJsonFile.name}: a weights group lacks its paths or weights`);
    const shards = group.paths.map((path) => {
      const file = others.find((f) => baseName(f.name) === baseName(String(path)));
      if (!file) throw new UnsupportedModelError(`${modelJsonFile.name} needs the weights file ${String(path)}; choose it together with model.json`);
      return file.bytes;
    });
    const data = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
    shards.reduce((at, shard) => (data.set(shard, at), at + shard.length), 0);
    let offset = 0;
    for (const weight of group.weights as ManifestWeight[]) {
      if (!Array.isArray(weight?.shape) || !weight.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new UnsupportedModelError(`${modelJsonFile.name}: weight ${String(weight?.name)} has no valid shape`);
      const { values, byteLength } = decodeTfjsWeight(weight, data, offset);
      byName.set(String(weight.name), { name: String(weight.name), shape: weight.shape, values });
      offset += byteLength;
    }
  }
  const lookup: WeightLookup = (layerName, variables) =>
    variables.map((variable) => {
      const suffix = `${layerName}/${variable}`;
      const weight = byName.get(suffix) ?? [...byName.values()].find((w) => w.name.endsWith(`/${suffix}`));
      if (!weight) throw new UnsupportedModelError(`model.json lists no ${variable} for layer ${layerName}`);
      return weight;
    });
  return { config: modelJson.modelTopology, lookup };
}

function plannedWeights(plan: ImportPlan, lookup: WeightLookup): ImportedWeight[] {
  return plan.layers.slice(1).flatMap((spec, i) => {
    const variables = weightVariables(spec);
    const source = plan.sourceNames[i];
    return variables.length > 0 && source ? lookup(source, variables) : [];
  });
}

/** Reads the uploaded files of one model; throws UnsupportedModelError, Hdf5FormatError or ZipFormatError saying why not. */
export function readModelFiles(files: UploadedFile[]): ImportedModel {
  const read = (format: ImportedFormat, source: { config: unknown; lookup: WeightLookup }): ImportedModel => {
    const plan = planFromKerasConfig(source.config);
    return { format, plan, weights: plannedWeights(plan, source.lookup) };
  };
  const modelJson = files.find((f) => f.name.toLowerCase().endsWith('.json'));
  if (files.length > 1) {
    if (!modelJson) throw new UnsupportedModelError('several files were chosen but none is a model.json; choose one .h5 or .keras file, or model.json with its weights files');
    return read('tfjs', readTfjs(modelJson, files.filter((f) => f !== modelJson)));
  }
  const file = files[0];
  if (!file) throw new UnsupportedModelError('no file was chosen');
  if (startsLikeHdf5(file.bytes)) return read('keras-h5', readKerasH5(file.bytes));
  if (isZip(file.bytes)) {
    const entries = readZip(file.bytes, maxUnpackedBytes);
    if (entries.some((e) => e.name === 'config.json')) return read('keras', readKerasZip(entries));
    const json = entries.find((e) => baseName(e.name) === 'model.json');
    if (!json) throw new UnsupportedModelError('the zip holds neither a .keras model (config.json) nor a tfjs model (model.json)');
    return read('tfjs', readTfjs(json, entries.filter((e) => e !== json)));
  }
  if (modelJson) return read('tfjs', readTfjs(modelJson, []));
  throw new UnsupportedModelError('not a model file: choose a Keras .h5 or .keras file, a zip of a tfjs model, or model.json with its weights files');
}
