import type { ModelJson } from '../../../common/checkpointFiles';
import { writeHdf5, type Hdf5GroupSpec } from '../hdf5/writeHdf5';

// A checkpoint (tfjs' layers format) as a Keras HDF5 model file, the one `model.save('x.h5')`
// writes and `keras.models.load_model('x.h5')` reads: the topology as `model_config` (tfjs
// writes Keras' own JSON), and under `model_weights` one group per layer holding its weights
// by Keras' names (`dense/kernel:0`) in the layer's order.

/** What Keras reads from the file's attributes to know what wrote it. */
const kerasVersion = '2.15.0';
const kerasBackend = 'tensorflow';

interface Topology {
  class_name?: unknown;
  config?: { layers?: { config?: { name?: unknown } }[] };
}

/** Layer names in model order, from the topology. */
function layerNames(topology: Topology): string[] {
  const layers = topology.config?.layers;
  if (!Array.isArray(layers)) throw new Error('the checkpoint has no layer list: only sequential models can be exported');
  return layers.map((layer, i) => {
    const name = layer.config?.name;
    if (typeof name !== 'string' || !/^[\w.-]{1,100}$/.test(name)) throw new Error(`layer ${i + 1} of the checkpoint has no usable name`);
    return name;
  });
}

/** The Keras HDF5 file of a verified checkpoint (its model.json and all of its weights, in manifest order). */
export function kerasH5FromCheckpoint(modelJson: ModelJson, weightData: ArrayBuffer): Promise<Uint8Array<ArrayBuffer>> {
  const topology = modelJson.modelTopology as Topology;
  if (topology.class_name !== 'Sequential') throw new Error(`only sequential models can be exported, not ${String(topology.class_name)}`);
  const names = layerNames(topology);
  const groups = new Map<string, Hdf5GroupSpec>(names.map((name) => [name, { kind: 'group', children: [], attributes: [] }]));
  const weightNames = new Map<string, string[]>(names.map((name) => [name, []]));
  let offset = 0;
  for (const weight of modelJson.weightsManifest.flatMap((group) => group.weights)) {
    if (weight.dtype !== 'float32') throw new Error(`weight ${weight.name} is ${weight.dtype}; only float32 weights can be exported`);
    const slash = weight.name.lastIndexOf('/');
    const layer = weight.name.slice(0, slash);
    const variable = weight.name.slice(slash + 1);
    const size = weight.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(weightData, offset, size);
    offset += size * 4;
    const group = groups.get(layer);
    if (!group || !variable) throw new Error(`weight ${weight.name} belongs to no layer of the model`);
    // Keras keeps a layer's weights in a group named after the layer inside the layer's group.
    let inner = group.children.find(([name]) => name === layer)?.[1] as Hdf5GroupSpec | undefined;
    if (!inner) {
      inner = { kind: 'group', children: [], attributes: [] };
      group.children.push([layer, inner]);
    }
    inner.children.push([`${variable}:0`, { kind: 'dataset', shape: weight.shape, values }]);
    weightNames.get(layer)!.push(`${layer}/${variable}:0`);
  }
  if (offset !== weightData.byteLength) throw new Error(`the weights hold ${weightData.byteLength} bytes, the manifest ${offset}`);
  for (const [name, group] of groups) group.attributes.push(['weight_names', weightNames.get(name)!]);
  const modelConfig = JSON.stringify({ class_name: topology.class_name, config: topology.config });
  return writeHdf5({
    kind: 'group',
    children: [
      [
        'model_weights',
        {
          kind: 'group',
          children: [...groups],
          attributes: [
            ['layer_names', names],
            ['backend', kerasBackend],
            ['keras_version', kerasVersion],
          ],
        },
      ],
    ],
    attributes: [
      ['model_config', modelConfig],
      ['keras_version', kerasVersion],
      ['backend', kerasBackend],
    ],
  });
}
