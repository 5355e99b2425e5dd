import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/apiError';
import { findPreset } from '../../shared/layers/presets';
import { decodeFrame, encodeFrame } from '../../shared/wire/frameCodec';
import { validateEvent, validateRequest, validateResult } from '../../shared/wire/validation';

const seedMlp = findPreset('seed-mlp')!;
const goodSpec = { name: 'run', datasetId: 'mnist', presetId: 'seed-mlp', layers: seedMlp.layers, settings: seedMlp.settings, backend: 'auto' };

describe('requests are validated before core sees them', () => {
  it('accepts a well-formed request', () => {
    const request = validateRequest('getImagePage', { datasetId: 'mnist', split: 'train', label: 3, offset: 0, count: 100 });
    expect(request.method).toBe('getImagePage');
  });

  it('rejects an unknown method', () => {
    expect(() => validateRequest('deleteEverything', undefined)).toThrow('unknown method "deleteEverything"');
  });

  it('names the bad field and why', () => {
    expect(() => validateRequest('getImagePage', { datasetId: 'mnist', split: 'validation', label: 3, offset: 0, count: 100 })).toThrow(
      /^getImagePage parameters: split: Invalid type: Expected \("train" \| "test"\)/,
    );
    expect(() => validateRequest('getImagePage', { datasetId: 'mnist', split: 'train', label: 12, offset: 0, count: 100 })).toThrow(/label/);
    expect(() => validateRequest('getImagePage', { datasetId: 'mnist', split: 'train', label: null, offset: 0, count: 100000 })).toThrow(/count/);
  });

  it('rejects unknown fields and path-like ids', () => {
    expect(() => validateRequest('removeDataset', { datasetId: 'mnist', force: true })).toThrow(ApiError);
    expect(() => validateRequest('removeDataset', { datasetId: '../../etc' })).toThrow(/ids are lower-case/);
  });

  it('checks a training spec deeply', () => {
    expect(validateRequest('startTraining', goodSpec).params).toMatchObject({ name: 'run' });
    const badBatch = { ...goodSpec, settings: { ...goodSpec.settings, batchSize: 0 } };
    expect(() => validateRequest('startTraining', badBatch)).toThrow(/settings\.batchSize/);
    const badLayer = { ...goodSpec, layers: [...goodSpec.layers.slice(0, 2), { type: 'dense', units: -4, activation: 'relu' }] };
    expect(() => validateRequest('startTraining', badLayer)).toThrow(/layers\.2\.units/);
  });

  it('bounds a model import: at least one file, 64 MB together at most, bytes not number lists', () => {
    const file = (bytes: number) => ({ name: 'model.h5', bytes: new Uint8Array(bytes) });
    expect(validateRequest<'importModel'>('importModel', { name: '', files: [file(10)] }).params.files[0]!.bytes).toBeInstanceOf(Uint8Array);
    expect(() => validateRequest('importModel', { name: '', files: [] })).toThrow(/choose a model file/);
    expect(() => validateRequest('importModel', { name: '', files: [file(40 * 2 ** 20), file(30 * 2 ** 20)] })).toThrow(/larger than 64 MB together/);
    expect(() => validateRequest('importModel', { name: '', files: [{ name: 'model.h5', bytes: [1, 2, 3] }] })).toThrow(/files\.0\.bytes/);
  });

  it('rejects a malformed result or event on the client side', () => {
    expect(() => validateResult('listDatasets', [{ id: 'mnist' }])).toThrow(/listDatasets result/);
    expect(() => validateEvent('train:epoch', { runId: 'x', epoch: 'one' })).toThrow(/train:epoch event/);
    expect(() => validateEvent('train:explode', {})).toThrow('unknown event "train:explode"');
  });
});

describe('the WebSocket frame codec', () => {
  it('round-trips typed arrays without turning them into number lists', () => {
    const message = {
      type: 'response',
      id: 7,
      ok: true,
      result: { pixels: new Uint8Array([0, 128, 255]), p: new Float32Array([0.25, 0.75]), idx: new Uint32Array([70000]) },
    };
    const frame = encodeFrame(message);
    const decoded = decodeFrame(frame) as typeof message;
    expect(decoded.result.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(decoded.result.pixels)).toEqual([0, 128, 255]);
    expect(Array.from(decoded.result.p)).toEqual([0.25, 0.75]);
    expect(Array.from(decoded.result.idx)).toEqual([70000]);
  });

  it('rejects a truncated frame with a specific error', () => {
    const frame = encodeFrame({ pixels: new Uint8Array(100) });
    expect(() => decodeFrame(frame.subarray(0, 3))).toThrow('frame of 3 bytes is too short for its header');
    expect(() => decodeFrame(frame.subarray(0, frame.length - 50))).toThrow(/runs past the end of the frame/);
  });
});
