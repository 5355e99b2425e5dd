import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Split } from '../../../shared/apiTypes';
import { IdxFormatError, maxIdxBytes, parseIdxImages, parseIdxLabels } from './parseIdx';
import { errorMessage } from '../../../shared/errorMessage';

/** One split held in memory: raw bytes, never normalised (that happens per batch in the worker). */
export interface LoadedSplit {
  count: number;
  /** count × rows × columns bytes. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

export interface LoadedDataset {
  rows: number;
  columns: number;
  train: LoadedSplit;
  test: LoadedSplit;
}

export type DatasetFileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';
export type DatasetFiles = Record<DatasetFileRole, string>;

const filePatterns: Record<DatasetFileRole, RegExp> = {
  trainImages: /^train-images[-.]idx3-ubyte(\.gz)?$/,
  trainLabels: /^train-labels[-.]idx1-ubyte(\.gz)?$/,
  testImages: /^(t10k|test)-images[-.]idx3-ubyte(\.gz)?$/,
  testLabels: /^(t10k|test)-labels[-.]idx1-ubyte(\.gz)?$/,
};

/** Finds the four IDX files in a folder by their standard names (as MNIST and Fashion-MNIST ship them). */
export async function findDatasetFiles(directory: string): Promise<DatasetFiles> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    const reasons: Record<string, string> = { ENOENT: 'there is no such folder', ENOTDIR: 'it is not a folder', EACCES: 'permission denied' };
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new Error(`cannot read folder ${directory}: ${reasons[code] ?? errorMessage(error)}`);
  }
  const files: Partial<DatasetFiles> = {};
  const missing: string[] = [];
  for (const role of Object.keys(filePatterns) as DatasetFileRole[]) {
    const matches = names.filter((name) => filePatterns[role].test(name)).sort();
    // Prefer the unpacked file when both are present.
    const name = matches.find((n) => !n.endsWith('.gz')) ?? matches[0];
    if (name) files[role] = join(directory, name);
    else missing.push(filePatterns[role].source.replace(/[\\^$]/g, ''));
  }
  if (missing.length > 0) {
    throw new Error(`${directory} lacks ${missing.length === 1 ? 'a file' : 'files'} named like ${missing.join(', ')}`);
  }
  return files as DatasetFiles;
}

/**
 * Reads one dataset file, which must be a regular file of at most maxIdxBytes. It is opened
 * non-blocking and checked on the open handle: a FIFO would otherwise hang a thread-pool thread
 * forever, and a link to /dev/zero would read until memory runs out.
 */
export async function readIdxFile(path: string): Promise<Uint8Array> {
  const name = basename(path);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new IdxFormatError(name, `cannot be opened (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new IdxFormatError(name, 'is not a regular file');
    if (info.size > maxIdxBytes) throw new IdxFormatError(name, `is ${info.size} bytes; MNIST Lab reads at most ${maxIdxBytes} bytes per file`);
    // Exactly the size stat gave: a file that grows while it is read is not read past it.
    const bytes = new Uint8Array(info.size);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesRead } = await handle.read(bytes, offset, bytes.length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return offset === bytes.length ? bytes : bytes.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

async function loadSplit(imagesBytes: Uint8Array, labelsBytes: Uint8Array, imagesPath: string, labelsPath: string) {
  const images = await parseIdxImages(imagesBytes, basename(imagesPath));
  const labels = await parseIdxLabels(labelsBytes, basename(labelsPath));
  if (labels.count !== images.count) {
    throw new IdxFormatError(basename(labelsPath), `${labels.count} labels but ${images.count} images in ${basename(imagesPath)}`);
  }
  return { images, labels };
}

/** The four files' bytes as read from disk (gzip or plain). */
export type DatasetFileBytes = Record<DatasetFileRole, Uint8Array>;

export async function readDatasetFiles(files: DatasetFiles): Promise<DatasetFileBytes> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    [files.trainImages, files.trainLabels, files.testImages, files.testLabels].map(readIdxFile),
  );
  return { trainImages: trainImages!, trainLabels: trainLabels!, testImages: testImages!, testLabels: testLabels! };
}

/** Validates a dataset's four files; any problem is an error naming the file at fault. */
export async function parseDataset(bytes: DatasetFileBytes, files: DatasetFiles): Promise<LoadedDataset> {
  const train = await loadSplit(bytes.trainImages, bytes.trainLabels, files.trainImages, files.trainLabels);
  const test = await loadSplit(bytes.testImages, bytes.testLabels, files.testImages, files.testLabels);
  if (train.images.rows !== test.images.rows || train.images.columns !== test.images.columns) {
    throw new IdxFormatError(
      basename(files.testImages),
      `images are ${test.images.rows}×${test.images.columns} but the training images are ${train.images.rows}×${train.images.columns}`,
    );
  }
  const split = (s: typeof train): LoadedSplit => ({ count: s.images.count, pixels: s.images.pixels, labels: s.labels.labels });
  return { rows: train.images.rows, columns: train.images.columns, train: split(train), test: split(test) };
}

/** Reads and validates a dataset's four files. */
export async function loadIdxDataset(files: DatasetFiles): Promise<LoadedDataset> {
  return parseDataset(await readDatasetFiles(files), files);
}

export function classCounts(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]!++;
  return counts;
}

export function splitOf(dataset: LoadedDataset, split: Split): LoadedSplit {
  return split === 'train' ? dataset.train : dataset.test;
}
