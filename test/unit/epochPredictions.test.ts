import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { epochsToKeep, maxEpochFiles, readEpochPredictions, writeEpochPredictions } from '../../main/core/runs/epochPredictionFiles';
import { digitStreak, epochShown } from '../../shared/metrics/epochHistory';
import { tempDir } from './tempDir';

const predictions = (digits: number[]) => ({ predicted: Uint8Array.from(digits), confidence: Uint8Array.from(digits, (d) => 100 + d) });

describe("a run's per-epoch predictions", () => {
  it('keep a bounded sample of a very long run, spread over it, with the first, best and last epochs', () => {
    const epochs = Array.from({ length: 5000 }, (_, i) => i + 1);
    const kept = epochsToKeep(epochs, [3333]);
    expect(kept.length).toBeLessThanOrEqual(maxEpochFiles);
    expect(kept.length).toBeGreaterThan(maxEpochFiles / 2);
    expect(kept).toEqual(expect.arrayContaining([1, 3333, 5000]));
    expect(kept.filter((e) => e > 2500).length).toBeGreaterThan(kept.length / 3);
    expect(epochsToKeep([1, 2, 3], [2])).toEqual([1, 2, 3]);
  });

  it('are stored compactly, read back in epoch order, and thinned on disk to the bound', async () => {
    const dir = tempDir('epochs');
    for (let epoch = 1; epoch <= maxEpochFiles + 30; epoch++) await writeEpochPredictions(dir, epoch, predictions([epoch % 10, 1, 2]), [7]);
    const files = readdirSync(join(dir, 'epochs'));
    expect(files.length).toBeLessThanOrEqual(maxEpochFiles);
    expect(files).toContain('epoch-0007.bin');
    expect(files).toContain(`epoch-0${maxEpochFiles + 30}.bin`);
    const read = await readEpochPredictions(dir);
    expect(read.count).toBe(3);
    expect(read.damaged).toEqual([]);
    expect(read.epochs.map((e) => e.epoch)).toEqual([...read.epochs.map((e) => e.epoch)].sort((a, b) => a - b));
    const seventh = read.epochs.find((e) => e.epoch === 7)!;
    expect(seventh.predictions).toEqual(predictions([7, 1, 2]));
  });

  it('report a damaged epoch file with its name and reason, and still give the others', async () => {
    const dir = tempDir('epochs-damaged');
    for (const epoch of [1, 2, 3, 4]) await writeEpochPredictions(dir, epoch, predictions([1, 2, 3]), []);
    writeFileSync(join(dir, 'epochs', 'epoch-0002.bin'), 'no prediction');
    const bytes = Buffer.alloc(8 + 6);
    bytes.write('MLEP');
    bytes.writeUInt32LE(3, 4);
    bytes[8] = 42;
    writeFileSync(join(dir, 'epochs', 'epoch-0003.bin'), bytes);
    writeFileSync(join(dir, 'epochs', 'epoch-0004.bin'), Buffer.alloc(50_000_000));
    const read = await readEpochPredictions(dir);
    expect(read.epochs.map((e) => e.epoch)).toEqual([1]);
    expect(read.damaged).toEqual([
      { file: 'epochs/epoch-0002.bin', detail: 'not an epoch predictions file' },
      { file: 'epochs/epoch-0003.bin', detail: 'image 0 is predicted as 42, not a digit' },
      { file: 'epochs/epoch-0004.bin', detail: expect.stringMatching(/^50000000 bytes, more than the 14 an epoch can take$/) },
    ]);
    expect(await readEpochPredictions(tempDir('epochs-none'))).toEqual({ count: 0, epochs: [], damaged: [] });
  });

  it("tell since when a digit has been right or wrong, and show one epoch's matrix", () => {
    // Image 0 (a 3): wrong, wrong, right, right; image 1 (a 5): right, right, right, wrong.
    const rows = { count: 2, epochs: [1, 2, 4, 8], predicted: Uint8Array.from([8, 5, 8, 5, 3, 5, 3, 6]), confidence: new Uint8Array(8).fill(255) };
    expect(digitStreak(rows, 3, 0, 3)).toEqual({ right: true, since: 4, changed: true });
    expect(digitStreak(rows, 1, 0, 3)).toEqual({ right: false, since: 1, changed: false });
    expect(digitStreak(rows, 3, 1, 5)).toEqual({ right: false, since: 8, changed: true });
    expect(digitStreak(rows, 2, 1, 5)).toEqual({ right: true, since: 1, changed: false });
    const shown = epochShown(rows, 3, Uint8Array.from([3, 5]));
    expect(shown.confusion[3]![3]).toBe(1);
    expect(shown.confusion[5]![6]).toBe(1);
    expect(shown.confidence(1)).toBe(1);
  });
});
