import { describe, expect, it } from 'vitest';
import { checkImageSize, decodeImage } from '../../main/cli/decodeImage';
import { readModelFiles } from '../../main/core/modelImport/modelFiles';
import { jpegDeclaring, pngDeclaring } from '../fixtures/hostilePictures';
import { linearModel } from '../fixtures/linearModel';
import { labHarness } from './labHarness';

// Files built to cost far more than they weigh (issue 21's probes): each is refused before the
// cost is paid, with the reason, and the server answers other calls meanwhile.

describe('pictures that declare too many pixels', () => {
  it('are refused from their header, before any decoding (`npm run predict` reads pictures this way): PNG (IHDR) and JPEG (SOF)', () => {
    const png = pngDeclaring(30000, 30000);
    expect(png.length).toBeLessThan(1000);
    expect(() => decodeImage(png)).toThrow(/the picture is 30000×30000, more than 40,000,000 pixels; nothing was decoded/);
    expect(() => decodeImage(jpegDeclaring(30000, 30000))).toThrow(/30000×30000/);
    expect(checkImageSize(pngDeclaring(640, 480))).toEqual({ width: 640, height: 480 });
    expect(checkImageSize(jpegDeclaring(4000, 3000))).toEqual({ width: 4000, height: 3000 });
    expect(() => decodeImage(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0]))).toThrow(/no image header/);
  });
});

describe('a tfjs model whose manifest does not add up', () => {
  const { modelJson, weightData } = linearModel('dense', new Float32Array(7840), new Float32Array(10), 'shard.bin');
  const json = (manifest: unknown) => ({ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify({ ...modelJson, weightsManifest: manifest })) });
  const shard = { name: 'shard.bin', bytes: new Uint8Array(weightData) };
  const weights = modelJson.weightsManifest[0]!.weights;

  it('is refused when it lists one weights file many times, holds more bytes than it lists, or lists weights no layer uses', async () => {
    await expect(readModelFiles([json([{ paths: Array(1024).fill('shard.bin'), weights }]), shard])).rejects.toThrow(
      /lists the weights file shard\.bin more than once/,
    );
    await expect(
      readModelFiles([json([{ paths: ['shard.bin'], weights }]), { name: 'shard.bin', bytes: new Uint8Array(weightData.byteLength + 4) }]),
    ).rejects.toThrow(/more than model\.json lists/);
    const extra = [...weights, { name: 'stray/kernel', shape: [1], dtype: 'float32' }];
    await expect(
      readModelFiles([json([{ paths: ['shard.bin'], weights: extra }]), { name: 'shard.bin', bytes: new Uint8Array(weightData.byteLength + 4) }]),
    ).rejects.toThrow(/weights no layer of the model uses: stray\/kernel/);
    const wrongShape = [{ ...weights[0]!, shape: [1000, 10] }, weights[1]!];
    await expect(
      readModelFiles([json([{ paths: ['shard.bin'], weights: wrongShape }]), { name: 'shard.bin', bytes: new Uint8Array(10_010 * 4) }]),
    ).rejects.toThrow(/weight dense\/kernel has shape \(1000, 10\); the model's layer needs \(784, 10\)/);
  });

  it('is refused by the lab service in its model-file thread, which answers other calls meanwhile', async () => {
    const lab = labHarness();
    const bomb = lab.service.importModel({ name: '', files: [json([{ paths: Array(1024).fill('shard.bin'), weights }]), shard] });
    const other = lab.service.listRuns().then(() => 'answered');
    expect(
      await Promise.race([
        other,
        bomb.then(
          () => 'imported',
          () => 'refused',
        ),
      ]),
    ).toBe('answered');
    await expect(bomb).rejects.toThrow(/model\.json cannot be imported: model\.json lists the weights file shard\.bin more than once/);
    expect(await lab.service.listRuns()).toEqual([]);
  });
});
