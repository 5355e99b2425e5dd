import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { forkWorkerLauncher, WorkerHost } from '../../main/core/workerHost';
import { classCount, pixelsPerImage } from '../../shared/mnist';
import { inkFromImage } from '../../shared/sketch/inkFromImage';
import { centreOfMass, mnistCentre, preprocessDigit } from '../../shared/sketch/preprocessDigit';
import { labHarness, seedSpec, workerEntry } from './labHarness';

/** A w × h ink image with the rectangle [x, x + bw) × [y, y + bh) full of ink. */
function rectangle(w: number, h: number, x: number, y: number, bw: number, bh: number): Float32Array {
  const ink = new Float32Array(w * h);
  for (let j = y; j < y + bh; j++) for (let i = x; i < x + bw; i++) ink[j * w + i] = 1;
  return ink;
}

/** The box of values above 0.5 in a 28 × 28 result. */
function extent(image: Float32Array) {
  let left = 28;
  let right = -1;
  let top = 28;
  let bottom = -1;
  image.forEach((v, i) => {
    if (v <= 0.5) return;
    left = Math.min(left, i % 28);
    right = Math.max(right, i % 28);
    top = Math.min(top, Math.floor(i / 28));
    bottom = Math.max(bottom, Math.floor(i / 28));
  });
  return { width: right - left + 1, height: bottom - top + 1 };
}

describe("MNIST's preprocessing of a drawing", () => {
  it('keeps a centred square centred (where MNIST centres its digits), scaled to 20 × 20', () => {
    const out = preprocessDigit(rectangle(280, 280, 100, 100, 80, 80), 280, 280)!;
    expect(extent(out)).toEqual({ width: 20, height: 20 });
    const mass = centreOfMass(out, 28, 28);
    expect(Math.abs(mass.x - mnistCentre)).toBeLessThanOrEqual(0.5);
    expect(mass.y).toBe(mass.x);
  });

  it('moves an off-centre stroke so its centre of mass is at the centre', () => {
    const out = preprocessDigit(rectangle(280, 280, 10, 200, 30, 70), 280, 280)!;
    const mass = centreOfMass(out, 28, 28);
    expect(Math.abs(mass.x - mnistCentre)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(mass.y - mnistCentre)).toBeLessThanOrEqual(0.5);
  });

  it('keeps a wide stroke wide: the longer side becomes 20 px, the other keeps the ratio', () => {
    const out = preprocessDigit(rectangle(280, 280, 40, 120, 200, 50), 280, 280)!;
    expect(extent(out)).toEqual({ width: 20, height: 5 });
  });

  it('finds nothing in an empty sketch, and dark ink on light paper as ink', () => {
    expect(preprocessDigit(new Float32Array(100), 10, 10)).toBeNull();
    const rgba = new Uint8Array(40 * 40 * 4).fill(230);
    for (let y = 10; y < 30; y++) rgba.fill(20, (y * 40 + 18) * 4, (y * 40 + 22) * 4);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
    const { ink } = inkFromImage(rgba, 40, 40);
    expect(ink[20 * 40 + 20]).toBe(1);
    expect(ink[5 * 40 + 5]).toBe(0);
  });
});

/** MNIST test image i drawn 7× large, off-centre, as grey ink on a light 280 × 280 page (a scan, roughly). */
function renderLargeOnPaper(pixels: Uint8Array, i: number): Uint8Array {
  const rgba = new Uint8Array(280 * 280 * 4);
  const dx = 10 + (i % 5) * 12;
  const dy = 15 + (i % 7) * 9;
  for (let y = 0; y < 280; y++) {
    for (let x = 0; x < 280; x++) {
      const sx = Math.floor((x - dx) / 7);
      const sy = Math.floor((y - dy) / 7);
      const v = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? pixels[i * pixelsPerImage + sy * 28 + sx]! : 0;
      const grey = 235 - Math.round(v * 0.8) - (x / 280) * 20; // a little uneven light
      rgba.set([grey, grey, grey, 255], (y * 280 + x) * 4);
    }
  }
  return rgba;
}

describe('a drawing read like a digit of the data set', () => {
  it('MNIST digits printed large and off-centre, preprocessed back, are read like the originals (≥ 97 % of 200)', async () => {
    const lab = labHarness();
    const { runId } = await lab.service.startTraining(seedSpec('seed-mlp', { epochs: 1, trainLimit: 20_000, testLimit: 200 }));
    await lab.finished(runId);
    const test = (await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()))).test;
    const count = 200;
    const originals = Float32Array.from(test.pixels.subarray(0, count * pixelsPerImage), (p) => p / 255);
    const redrawn = new Float32Array(count * pixelsPerImage);
    for (let i = 0; i < count; i++) {
      const { ink, width, height } = inkFromImage(renderLargeOnPaper(test.pixels, i), 280, 280);
      redrawn.set(preprocessDigit(ink, width, height)!, i * pixelsPerImage);
    }
    const host = new WorkerHost(forkWorkerLauncher(workerEntry));
    const modelDir = join(lab.dataDir, 'runs', runId, 'model');
    const [a, b] = await Promise.all([originals, redrawn].map((inputs) => host.predict({ type: 'predict', backend: 'wasm', modelDirs: [modelDir], inputs })));
    const argmax = (p: Float32Array, i: number) => {
      const row = Array.from(p.subarray(i * classCount, (i + 1) * classCount));
      return row.indexOf(Math.max(...row));
    };
    let agree = 0;
    for (let i = 0; i < count; i++) if (argmax(a!.probabilities, i) === argmax(b!.probabilities, i)) agree++;
    expect(agree / count).toBeGreaterThanOrEqual(0.97);
  });
});
