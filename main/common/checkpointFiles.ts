import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { errorMessage } from '../../shared/errorMessage';
import { DamagedFileError, readValidatedJson } from './atomicFile';

// A checkpoint is tfjs' layers format in one folder: model.json (topology and a weights
// manifest) and the weights files it names. The run store asks whether one loads; the worker
// reads one back to evaluate it. Both trust nothing in model.json.

const bytesPerValue = { float32: 4, int32: 4, bool: 1 } as const;

/** A weights file name: a plain name in the checkpoint folder, never a path. */
const WeightsFileNameSchema = v.pipe(v.string(), v.regex(/^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/, 'weights files are plain names in the model folder'));

const WeightSpecSchema = v.looseObject({
  name: v.string(),
  shape: v.array(v.pipe(v.number(), v.integer(), v.minValue(0))),
  dtype: v.picklist(['float32', 'int32', 'bool']),
});

const ModelJsonSchema = v.looseObject({
  modelTopology: v.looseObject({}),
  weightsManifest: v.pipe(
    v.array(v.looseObject({ paths: v.pipe(v.array(WeightsFileNameSchema), v.minLength(1)), weights: v.array(WeightSpecSchema) })),
    v.minLength(1),
  ),
});
export type ModelJson = v.InferOutput<typeof ModelJsonSchema>;

const weightBytes = (weights: ModelJson['weightsManifest'][number]['weights']) =>
  weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * bytesPerValue[w.dtype], 0);

async function regularFileSize(path: string): Promise<number> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(() => null);
  if (!handle) throw new DamagedFileError('missing');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new DamagedFileError('not a regular file');
    return info.size;
  } finally {
    await handle.close();
  }
}

/**
 * Checks that the checkpoint in `modelDir` loads: model.json parses and has the layers format's
 * shape, and each weights group's files exist and add up to the bytes its manifest promises.
 * Returns the parsed model.json; throws a DamagedFileError (or ENOENT when there is none) saying why not.
 */
export async function verifyCheckpoint(modelDir: string): Promise<ModelJson> {
  const modelJson = await readValidatedJson(join(modelDir, 'model.json'), ModelJsonSchema).catch((error: unknown) => {
    if (error instanceof DamagedFileError) throw new DamagedFileError(`model.json: ${error.message}`);
    throw error;
  });
  for (const group of modelJson.weightsManifest) {
    let size = 0;
    for (const name of group.paths) {
      size += await regularFileSize(join(modelDir, name)).catch((error: unknown) => {
        throw new DamagedFileError(`${name}: ${errorMessage(error)}`);
      });
    }
    const expected = weightBytes(group.weights);
    if (size !== expected) throw new DamagedFileError(`${group.paths.join(', ')}: ${size} bytes, but model.json promises ${expected}`);
  }
  return modelJson;
}

/** A verified checkpoint's model.json and its weights as one buffer, in manifest order (tfjs' layout). */
export async function readCheckpoint(modelDir: string): Promise<{ modelJson: ModelJson; weightData: ArrayBuffer }> {
  const modelJson = await verifyCheckpoint(modelDir);
  const paths = modelJson.weightsManifest.flatMap((group) => group.paths);
  const buffers = await Promise.all(paths.map((name) => readFile(join(modelDir, name))));
  const total = buffers.reduce((sum, b) => sum + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const buffer of buffers) {
    weightData.set(buffer, offset);
    offset += buffer.byteLength;
  }
  return { modelJson, weightData: weightData.buffer };
}
