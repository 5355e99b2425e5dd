import * as v from 'valibot';
import type { ImportedFormat } from '../../../shared/apiTypes';
import { modelTooLarge } from '../../../shared/layers/modelFootprint';
import { seedSettings } from '../../../shared/layers/presets';
import { openHdf5, startsLikeHdf5, type Hdf5File, type Hdf5Group, type Hdf5Node } from '../fileFormats/hdf5/readHdf5';
import { decodeTfjsWeight, tfjsWeightBytes, type ManifestWeight } from '../fileFormats/tfjsLayers/readTfjsWeight';
import { isZip, readZip, type ZipEntry } from '../fileFormats/zip/readZip';
import { kerasSavedLayerKeys, planFromKerasConfig, UnsupportedModelError, weightShapes, weightVariables, type ImportPlan } from './kerasModelConfig';

// The model files other tools write, read into an import plan and its weights:
//  - a Keras HDF5 file (`model.save('model.h5')`, Keras 2, tf.keras and Keras 3's legacy format);
//  - a `.keras` file (Keras 3 and tf.keras 2.13+: a zip of config.json and model.weights.h5);
//  - tfjs' layers format: model.json with its weights files, or all of them in a zip.
// The config is read and planned first; each weight's declared shape is then compared with what
// its layer needs before a byte of it is read, so a file cannot make us allocate more than the
// model it describes (itself held to the parameter limit).

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

/** One variable a layer needs: its Keras name and the shape its layer gives it. */
interface WantedWeight {
  variable: string;
  shape: number[];
}

/** A layer's weights, in the order of `wanted`, from wherever the format keeps them; each shape checked before it is read. */
type WeightLookup = (layerName: string, wanted: WantedWeight[]) => ImportedWeight[];

interface ModelSource {
  config: unknown;
  lookup: WeightLookup;
  /** Called once every layer has its weights: refuses what the file holds beyond them. */
  finish?: () => void;
}

const baseName = (path: string) => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const shapeText = (shape: readonly number[]) => `(${shape.join(', ')})`;

function parseJson(text: string | Uint8Array, what: string): unknown {
  try {
    return JSON.parse(typeof text === 'string' ? text : new TextDecoder().decode(text));
  } catch (error) {
    throw new UnsupportedModelError(`${what} is not valid JSON (${(error as Error).message})`);
  }
}

function checkedShape(name: string, shape: readonly number[], wanted: WantedWeight): void {
  if (!sameShape(shape, wanted.shape))
    throw new UnsupportedModelError(`weight ${name} has shape ${shapeText(shape)}; the model's layer needs ${shapeText(wanted.shape)}`);
}

function datasetWeight(node: Hdf5Node | null, name: string, wanted: WantedWeight): ImportedWeight {
  if (node?.kind !== 'dataset') throw new UnsupportedModelError(`the file names weight ${name} but does not hold it`);
  checkedShape(name, node.shape, wanted);
  return { name, shape: node.shape, values: node.read() };
}

/** A list of strings kept as an attribute, or split over `name0`, `name1`, … as Keras does for long ones. */
function stringListAttribute(group: Hdf5Group, name: string): string[] | null {
  const whole = group.attribute(name);
  if (whole !== null) return Array.isArray(whole) ? whole.map(String) : [String(whole)];
  const parts: string[] = [];
  const names = group.attributeNames();
  for (let i = 0; names.includes(`${name}${i}`); i++) {
    const part = group.attribute(`${name}${i}`);
    if (part !== null) parts.push(...(Array.isArray(part) ? part.map(String) : [String(part)]));
  }
  return parts.length > 0 ? parts : null;
}

/** A variable's name without its scope and Keras 2's `:0` suffix: `conv2d/kernel:0` → `kernel`. */
const variableName = (weightName: string) => baseName(weightName).replace(/:\d+$/, '');

/** Keras' HDF5 model file: `model_config` at the root, each layer's weights under `model_weights/<layer>`. */
function readKerasH5(root: Hdf5Group): ModelSource {
  const configText = root.attribute('model_config');
  if (typeof configText !== 'string') {
    throw new UnsupportedModelError(
      'this HDF5 file holds weights only, without the model (it was written by save_weights); save the whole model with model.save("model.h5")',
    );
  }
  const weightsRoot = root.child('model_weights');
  if (weightsRoot?.kind !== 'group') throw new UnsupportedModelError('the file has a model config but no model_weights group');
  const lookup: WeightLookup = (layerName, wanted) => {
    const group = weightsRoot.child(layerName);
    if (group?.kind !== 'group') throw new UnsupportedModelError(`the file has no weights for layer ${layerName}`);
    const names = stringListAttribute(group, 'weight_names') ?? [];
    return wanted.map((want) => {
      const name = names.find((n) => variableName(n) === want.variable);
      if (!name)
        throw new UnsupportedModelError(
          `layer ${layerName} has no ${want.variable} in the file (it has ${names.map(variableName).join(', ') || 'no weights'})`,
        );
      return datasetWeight(group.child(name), `${layerName}/${want.variable}`, want);
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
      const vars = root.child(`${prefix}/${key}/vars`);
      if (vars?.kind === 'group') return vars;
    }
  }
  return null;
}

/** Keras 3's `.keras` zip: config.json, and model.weights.h5 with `layers/<layer>/vars/0, 1, …`. */
function readKerasZip(config: ZipEntry, root: Hdf5Group): ModelSource {
  const modelConfig = parseJson(config.bytes, 'config.json');
  const keys = kerasSavedLayerKeys(modelConfig);
  const lookup: WeightLookup = (layerName, wanted) => {
    const vars = kerasLayerVars(root, [keys.get(layerName) ?? layerName, layerName]);
    if (!vars) throw new UnsupportedModelError(`model.weights.h5 has no weights for layer ${layerName}`);
    const names = vars
      .childNames()
      .filter((n) => /^\d+$/.test(n))
      .sort((a, b) => Number(a) - Number(b));
    if (names.length !== wanted.length)
      throw new UnsupportedModelError(
        `layer ${layerName} holds ${names.length} weights in the file; MNIST Lab's layer has ${wanted.length} (${wanted.map((w) => w.variable).join(', ')})`,
      );
    return wanted.map((want, i) => datasetWeight(vars.child(names[i]!), `${layerName}/${want.variable}`, want));
  };
  return { config: modelConfig, lookup };
}

const ManifestSchema = v.pipe(
  v.array(
    v.looseObject({
      paths: v.pipe(v.array(v.pipe(v.string(), v.maxLength(500))), v.maxLength(10_000)),
      weights: v.pipe(
        v.array(
          v.looseObject({
            name: v.pipe(v.string(), v.maxLength(500)),
            shape: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0))), v.maxLength(8)),
            dtype: v.string(),
            quantization: v.optional(v.looseObject({ dtype: v.optional(v.unknown()), scale: v.optional(v.unknown()), min: v.optional(v.unknown()) })),
          }),
        ),
        v.maxLength(10_000),
      ),
    }),
  ),
  v.maxLength(1000),
);

/** One weights group's files joined, once each path is known to appear once and their size to be what the manifest's weights take. */
function groupBytes(fileName: string, paths: string[], weights: ManifestWeight[], others: UploadedFile[], used: Set<string>): Uint8Array {
  const shards = paths.map((path) => {
    if (used.has(baseName(path))) throw new UnsupportedModelError(`${fileName} lists the weights file ${path} more than once`);
    used.add(baseName(path));
    const file = others.find((f) => baseName(f.name) === baseName(path));
    if (!file) throw new UnsupportedModelError(`${fileName} needs the weights file ${path}; choose it together with model.json`);
    return file.bytes;
  });
  const needed = weights.reduce((sum, weight) => sum + tfjsWeightBytes(weight), 0);
  const held = shards.reduce((sum, shard) => sum + shard.length, 0);
  if (held < needed) throw new UnsupportedModelError(`the weights files hold ${held} bytes, fewer than model.json lists (${needed})`);
  if (held > needed) throw new UnsupportedModelError(`the weights files hold ${held} bytes, more than model.json lists (${needed})`);
  if (shards.length === 1) return shards[0]!;
  const data = new Uint8Array(held);
  shards.reduce((at, shard) => (data.set(shard, at), at + shard.length), 0);
  return data;
}

/** tfjs' layers format: model.json's manifest names weights files, read in order as one buffer per group. */
function readTfjs(modelJsonFile: UploadedFile, others: UploadedFile[]): ModelSource {
  const modelJson = parseJson(modelJsonFile.bytes, modelJsonFile.name) as { format?: unknown; modelTopology?: unknown; weightsManifest?: unknown };
  if (typeof modelJson === 'object' && modelJson?.format === 'graph-model') {
    throw new UnsupportedModelError(
      `${modelJsonFile.name} is a tfjs graph model (a converted SavedModel): it has no layers to import; convert the Keras model instead (tensorflowjs_converter --input_format keras)`,
    );
  }
  if (typeof modelJson !== 'object' || modelJson === null || !modelJson.modelTopology)
    throw new UnsupportedModelError(`${modelJsonFile.name} is not a tfjs layers model (it has no modelTopology)`);
  if (!Array.isArray(modelJson.weightsManifest)) throw new UnsupportedModelError(`${modelJsonFile.name} has no weightsManifest`);
  const manifest = v.safeParse(ManifestSchema, modelJson.weightsManifest);
  if (!manifest.success)
    throw new UnsupportedModelError(
      `${modelJsonFile.name}: its weightsManifest is not tfjs' (${manifest.issues[0].message} at ${v.getDotPath(manifest.issues[0]) ?? 'the top'})`,
    );
  const located = new Map<string, { weight: ManifestWeight; group: number; offset: number }>();
  manifest.output.forEach((group, index) => {
    let offset = 0;
    for (const weight of group.weights) {
      if (located.has(weight.name)) throw new UnsupportedModelError(`${modelJsonFile.name} lists weight ${weight.name} twice`);
      located.set(weight.name, { weight, group: index, offset });
      offset += tfjsWeightBytes(weight);
    }
  });
  const usedPaths = new Set<string>();
  const groups = manifest.output.map((group) => groupBytes(modelJsonFile.name, group.paths, group.weights, others, usedPaths));
  const taken = new Set<string>();
  const lookup: WeightLookup = (layerName, wanted) =>
    wanted.map((want) => {
      const suffix = `${layerName}/${want.variable}`;
      const name = located.has(suffix) ? suffix : [...located.keys()].find((n) => n.endsWith(`/${suffix}`));
      const place = name === undefined ? undefined : located.get(name);
      if (!name || !place) throw new UnsupportedModelError(`model.json lists no ${want.variable} for layer ${layerName}`);
      checkedShape(name, place.weight.shape, want);
      taken.add(name);
      return { name, shape: place.weight.shape, values: decodeTfjsWeight(place.weight, groups[place.group]!, place.offset) };
    });
  const finish = () => {
    const unused = [...located.keys()].filter((name) => !taken.has(name));
    if (unused.length > 0)
      throw new UnsupportedModelError(`model.json lists weights no layer of the model uses: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ', …' : ''}`);
  };
  return { config: modelJson.modelTopology, lookup, finish };
}

/** The plan of a source's config, refused if too large, then every layer's weights. */
function readModel(format: ImportedFormat, source: ModelSource): ImportedModel {
  const plan = planFromKerasConfig(source.config);
  const tooLarge = modelTooLarge(plan.analysis.layers, plan.analysis.totalParams, seedSettings.batchSize);
  if (tooLarge) throw new UnsupportedModelError(tooLarge);
  const weights = plan.layers.slice(1).flatMap((spec, i) => {
    const variables = weightVariables(spec);
    const sourceName = plan.sourceNames[i];
    if (variables.length === 0 || !sourceName) return [];
    const shapes = weightShapes(spec, plan.analysis.layers[i]!.outputShape);
    return source.lookup(
      sourceName,
      variables.map((variable, k) => ({ variable, shape: shapes[k]! })),
    );
  });
  source.finish?.();
  return { format, plan, weights };
}

async function withHdf5<T>(bytes: Uint8Array, read: (root: Hdf5Group) => T): Promise<T> {
  let file: Hdf5File | null = null;
  try {
    file = await openHdf5(bytes);
    return read(file.root);
  } finally {
    file?.close();
  }
}

/** Reads the uploaded files of one model; throws UnsupportedModelError, Hdf5FormatError or ZipFormatError saying why not. */
export async function readModelFiles(files: UploadedFile[]): Promise<ImportedModel> {
  const modelJson = files.find((f) => f.name.toLowerCase().endsWith('.json'));
  if (files.length > 1) {
    if (!modelJson)
      throw new UnsupportedModelError(
        'several files were chosen but none is a model.json; choose one .h5 or .keras file, or model.json with its weights files',
      );
    return readModel(
      'tfjs',
      readTfjs(
        modelJson,
        files.filter((f) => f !== modelJson),
      ),
    );
  }
  const file = files[0];
  if (!file) throw new UnsupportedModelError('no file was chosen');
  if (startsLikeHdf5(file.bytes)) return withHdf5(file.bytes, (root) => readModel('keras-h5', readKerasH5(root)));
  if (isZip(file.bytes)) {
    const entries = readZip(file.bytes, maxUnpackedBytes);
    const config = entries.find((e) => e.name === 'config.json');
    if (config) {
      const weights = entries.find((e) => e.name === 'model.weights.h5');
      if (!weights) throw new UnsupportedModelError('the .keras file lacks model.weights.h5');
      return withHdf5(weights.bytes, (root) => readModel('keras', readKerasZip(config, root)));
    }
    const json = entries.find((e) => baseName(e.name) === 'model.json');
    if (!json) throw new UnsupportedModelError('the zip holds neither a .keras model (config.json) nor a tfjs model (model.json)');
    return readModel(
      'tfjs',
      readTfjs(
        json,
        entries.filter((e) => e !== json),
      ),
    );
  }
  if (modelJson) return readModel('tfjs', readTfjs(modelJson, []));
  throw new UnsupportedModelError('not a model file: choose a Keras .h5 or .keras file, a zip of a tfjs model, or model.json with its weights files');
}
