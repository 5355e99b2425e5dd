import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetStore } from '../../main/core/datasets/datasetStore';
import { idxLabels, writeDatasetFolder } from '../fixtures/idxFiles';
import { tempDir } from './tempDir';

describe('the dataset store', () => {
  it('pages through a split filtered to one label, copying only the page', async () => {
    const store = new DatasetStore(tempDir('store'));
    const page = await store.page({ datasetId: 'mnist', split: 'train', label: 3, offset: 0, count: 100 });
    expect(page.total).toBe(6131);
    expect(page.indices.length).toBe(100);
    expect(page.pixels.length).toBe(100 * 784);
    expect(new Set(page.labels)).toEqual(new Set([3]));
    const last = await store.page({ datasetId: 'mnist', split: 'train', label: 3, offset: 6100, count: 100 });
    expect(last.indices.length).toBe(31);
  });

  it('imports a gzipped dataset after checking it, and lists it after MNIST', async () => {
    const dataDir = tempDir('import');
    const source = writeDatasetFolder(tempDir('source'), { train: 30, test: 10, gzip: true });
    const store = new DatasetStore(dataDir);
    const summary = await store.import({ name: 'Tiny digits', directory: source });
    expect(summary).toMatchObject({ id: 'tiny-digits', builtIn: false, train: { count: 30 }, test: { count: 10 } });
    const listed = await new DatasetStore(dataDir).list();
    expect(listed.map((d) => d.id)).toEqual(['mnist', 'tiny-digits']);
    const again = await store.import({ name: 'Tiny digits', directory: source });
    expect(again.id).toBe('tiny-digits-2');
  });

  it('stores nothing when an import is damaged, and keeps what was there', async () => {
    const dataDir = tempDir('bad-import');
    const store = new DatasetStore(dataDir);
    await store.import({ name: 'Good', directory: writeDatasetFolder(tempDir('good'), { train: 20, test: 10 }) });
    const bad = writeDatasetFolder(tempDir('bad'), { train: 20, test: 10 });
    writeFileSync(join(bad, 't10k-labels-idx1-ubyte'), idxLabels([1, 2, 3, 4, 5, 6, 7, 8, 9, 11]));
    await expect(store.import({ name: 'Bad', directory: bad })).rejects.toThrow(
      'cannot import Bad: t10k-labels-idx1-ubyte: label 11 at index 9 is not a digit 0–9',
    );
    expect(readdirSync(join(dataDir, 'datasets'))).toEqual(['good']);
    expect((await store.list()).map((d) => d.id)).toEqual(['mnist', 'good']);
  });

  it('refuses to remove the embedded MNIST and removes an import', async () => {
    const dataDir = tempDir('remove');
    const store = new DatasetStore(dataDir);
    await expect(store.remove('mnist')).rejects.toThrow('the embedded MNIST cannot be removed');
    await store.import({ name: 'Gone soon', directory: writeDatasetFolder(tempDir('src'), { train: 10, test: 10 }) });
    await store.remove('gone-soon');
    expect(existsSync(join(dataDir, 'datasets', 'gone-soon'))).toBe(false);
    await expect(store.page({ datasetId: 'gone-soon', split: 'train', label: null, offset: 0, count: 1 })).rejects.toThrow('no dataset with id gone-soon');
  });
});
