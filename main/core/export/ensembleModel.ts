import type { ModelJson } from '../../common/checkpointFiles';
import { imageSide } from '../../../shared/mnist';

/** One checkpoint's files: its model.json and the bytes its weights manifest describes, in order. */
export interface CheckpointFiles {
  modelJson: ModelJson;
  weightData: ArrayBuffer;
}

interface LayerEntry {
  class_name: string;
  config: Record<string, unknown> & { name?: unknown };
}

const inputName = 'input';
const outputName = 'average';
/** A member's layer or weight name, kept apart from the other members' (member1_dense_Dense1, member1_dense_Dense1/kernel). */
const memberName = (member: number, name: string) => `member${member + 1}_${name}`;

function sequentialLayers(modelJson: ModelJson, member: number): LayerEntry[] {
  const topology = modelJson.modelTopology as { class_name?: unknown; config?: { layers?: unknown } };
  const layers = topology.config?.layers;
  if (topology.class_name !== 'Sequential' || !Array.isArray(layers) || layers.length === 0)
    throw new Error(`member ${member + 1}'s checkpoint is not a sequential model`);
  return layers as LayerEntry[];
}

/**
 * An ensemble's members as one tfjs functional model: one 28×28×1 input feeds each member's
 * layers (renamed member<n>_…, so no two share a name), and an Average layer takes the mean of
 * their softmax outputs, as the ensemble reads a digit. The weights are the members' own, one
 * after another, renamed to match.
 */
export function ensembleCheckpoint(members: CheckpointFiles[]): CheckpointFiles {
  const layers: Record<string, unknown>[] = [
    {
      class_name: 'InputLayer',
      name: inputName,
      inbound_nodes: [],
      config: { batch_input_shape: [null, imageSide, imageSide, 1], dtype: 'float32', sparse: false, name: inputName },
    },
  ];
  const outputs: string[] = [];
  members.forEach(({ modelJson }, member) => {
    let previous = inputName;
    for (const { class_name, config } of sequentialLayers(modelJson, member)) {
      const { batch_input_shape: _shape, ...rest } = config;
      const name = memberName(member, String(config.name));
      layers.push({ class_name, name, inbound_nodes: [[[previous, 0, 0, {}]]], config: { ...rest, name } });
      previous = name;
    }
    outputs.push(previous);
  });
  layers.push({
    class_name: 'Average',
    name: outputName,
    inbound_nodes: [outputs.map((name) => [name, 0, 0, {}])],
    config: { name: outputName, trainable: true },
  });

  const first = members[0]!.modelJson;
  const weights = members.flatMap(({ modelJson }, member) =>
    modelJson.weightsManifest.flatMap((group) => group.weights.map((weight) => ({ ...weight, name: memberName(member, weight.name) }))),
  );
  const weightData = new Uint8Array(members.reduce((sum, m) => sum + m.weightData.byteLength, 0));
  let offset = 0;
  for (const { weightData: bytes } of members) {
    weightData.set(new Uint8Array(bytes), offset);
    offset += bytes.byteLength;
  }
  return {
    modelJson: {
      ...first,
      modelTopology: {
        ...first.modelTopology,
        class_name: 'Model',
        config: { name: 'ensemble', layers, input_layers: [[inputName, 0, 0]], output_layers: [[outputName, 0, 0]] },
      },
      weightsManifest: [{ paths: ['weights.bin'], weights }],
    },
    weightData: weightData.buffer,
  };
}
