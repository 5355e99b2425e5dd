import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompactPredictions } from '../../../shared/apiTypes';
import { classCount } from '../../../shared/mnist';
import { errorMessage } from '../../../shared/errorMessage';
import { writeFileAtomic } from '../../common/atomicFile';

// A run's epochs/ folder: one file per kept epoch, `epoch-0007.bin`, holding "MLEP", the image
// count (uint32 LE), then a predicted digit and a confidence byte per image: 2 bytes an image,
// 20 kB an epoch on the whole test set.

const magic = [0x4d, 0x4c, 0x45, 0x50];
const headerBytes = 8;
/** Test sets over ten times MNIST's are refused when read, so 200 epochs stay within 40 MB. */
const maxImages = 100_000;
/** Epoch files kept per run: a run of thousands of epochs keeps a sample this size. */
export const maxEpochFiles = 200;

const fileName = (epoch: number) => `epoch-${String(epoch).padStart(4, '0')}.bin`;
const epochOf = (name: string) => /^epoch-(\d{4,9})\.bin$/.exec(name)?.[1];

export function encodeEpochPredictions({ predicted, confidence }: CompactPredictions): Uint8Array {
  const bytes = new Uint8Array(headerBytes + predicted.length * 2);
  bytes.set(magic);
  new DataView(bytes.buffer).setUint32(4, predicted.length, true);
  bytes.set(predicted, headerBytes);
  bytes.set(confidence, headerBytes + predicted.length);
  return bytes;
}

/** The predictions in one file's bytes; throws with the reason when they are not such a file. */
export function decodeEpochPredictions(bytes: Uint8Array): CompactPredictions {
  if (bytes.length < headerBytes || magic.some((b, i) => bytes[i] !== b)) throw new Error('not an epoch predictions file');
  const count = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  if (count > maxImages || bytes.length !== headerBytes + count * 2) throw new Error(`${bytes.length} bytes do not hold ${count} predictions`);
  const predicted = bytes.slice(headerBytes, headerBytes + count);
  const bad = predicted.findIndex((digit) => digit >= classCount);
  if (bad >= 0) throw new Error(`image ${bad} is predicted as ${predicted[bad]}, not a digit`);
  return { predicted, confidence: bytes.slice(headerBytes + count) };
}

/**
 * The epochs to keep of those stored: all of them up to `limit`, else every `stride`-th (the
 * smallest power of two that fits), always with the first, the best and the last, so a long
 * run's sample stays spread over the whole run.
 */
export function epochsToKeep(epochs: readonly number[], keep: readonly number[], limit = maxEpochFiles): number[] {
  const must = new Set([Math.min(...epochs), Math.max(...epochs), ...keep.filter((e) => epochs.includes(e))]);
  for (let stride = 1; ; stride *= 2) {
    const kept = epochs.filter((e) => must.has(e) || e % stride === 0);
    if (kept.length <= limit || stride > Math.max(...epochs)) return kept;
  }
}

/** Stores an epoch's predictions and thins the folder to its bound, keeping `keep` (the best epoch). */
export async function writeEpochPredictions(runDir: string, epoch: number, predictions: CompactPredictions, keep: readonly number[]): Promise<void> {
  const dir = join(runDir, 'epochs');
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, fileName(epoch)), encodeEpochPredictions(predictions));
  const stored = (await readdir(dir))
    .map(epochOf)
    .filter((e) => e !== undefined)
    .map(Number);
  if (stored.length <= maxEpochFiles) return;
  const kept = new Set(epochsToKeep(stored, [...keep, epoch]));
  await Promise.all(stored.filter((e) => !kept.has(e)).map((e) => rm(join(dir, fileName(e)), { force: true })));
}

/**
 * Every stored epoch's predictions, in epoch order, each of as many images as the first readable
 * one; a file that cannot be read, or of another size, is reported, not fatal.
 */
export async function readEpochPredictions(runDir: string) {
  const dir = join(runDir, 'epochs');
  const names = await readdir(dir).catch(() => []);
  const found = names
    .map((name) => ({ name, epoch: Number(epochOf(name)) }))
    .filter(({ epoch }) => Number.isInteger(epoch) && epoch > 0)
    .sort((a, b) => a.epoch - b.epoch)
    .slice(-maxEpochFiles * 2);
  const epochs: { epoch: number; predictions: CompactPredictions }[] = [];
  const damaged: { file: string; detail: string }[] = [];
  let count: number | null = null;
  for (const { name, epoch } of found) {
    try {
      const predictions = decodeEpochPredictions(await readBounded(join(dir, name), headerBytes + (count ?? maxImages) * 2));
      count ??= predictions.predicted.length;
      if (predictions.predicted.length !== count) throw new Error(`it holds ${predictions.predicted.length} predictions, the other epochs ${count}`);
      epochs.push({ epoch, predictions });
    } catch (error) {
      damaged.push({ file: `epochs/${name}`, detail: errorMessage(error) });
    }
  }
  return { count: count ?? 0, epochs, damaged };
}

/** A file's bytes, refused when it is longer than `limit` (so a hostile file cannot fill memory). */
async function readBounded(path: string, limit: number): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size > limit) throw new Error(`${size} bytes, more than the ${limit} an epoch can take`);
    const bytes = new Uint8Array(size);
    await file.read(bytes, 0, size, 0);
    return bytes;
  } finally {
    await file.close();
  }
}
