import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { maxIdxBytes } from '../../main/common/idx/parseIdx';
import { DatasetStore } from '../../main/core/datasets/datasetStore';
import { idxImages, writeDatasetFolder } from '../fixtures/idxFiles';
import { tempDir } from './tempDir';

const importFrom = (source: string) => new DatasetStore(tempDir('hostile')).import({ name: 'Hostile', directory: source });

describe('importing hostile dataset folders', () => {
  it('refuses a FIFO named like a dataset file instead of hanging on it', async () => {
    const source = writeDatasetFolder(tempDir('fifo'), { train: 20, test: 10 });
    rmSync(join(source, 'train-labels-idx1-ubyte'));
    execFileSync('mkfifo', [join(source, 'train-labels-idx1-ubyte')]);
    await expect(importFrom(source)).rejects.toThrow('cannot import Hostile: train-labels-idx1-ubyte: is not a regular file');
  });

  it('refuses a link to /dev/zero instead of reading until memory runs out', async () => {
    const source = writeDatasetFolder(tempDir('zero'), { train: 20, test: 10 });
    rmSync(join(source, 't10k-images-idx3-ubyte'));
    symlinkSync('/dev/zero', join(source, 't10k-images-idx3-ubyte'));
    await expect(importFrom(source)).rejects.toThrow('t10k-images-idx3-ubyte: is not a regular file');
  });

  it('refuses a file larger than the cap, saying the cap', async () => {
    const source = writeDatasetFolder(tempDir('huge'), { train: 20, test: 10 });
    truncateSync(join(source, 'train-images-idx3-ubyte'), maxIdxBytes + 1); // sparse: costs no disk
    await expect(importFrom(source)).rejects.toThrow(
      `train-images-idx3-ubyte: is ${maxIdxBytes + 1} bytes; MNIST Lab reads at most ${maxIdxBytes} bytes per file`,
    );
  });

  it('refuses a gzip bomb whose header promises 1.37 million images, saying the cap', async () => {
    const source = writeDatasetFolder(tempDir('bomb-header'), { train: 20, test: 10 });
    const header = idxImages(0);
    new DataView(header.buffer).setUint32(4, 1_370_000);
    writeFileSync(join(source, 'train-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([header, Buffer.alloc(4_000_000)])));
    rmSync(join(source, 'train-images-idx3-ubyte'));
    await expect(importFrom(source)).rejects.toThrow('train-images-idx3-ubyte.gz: header promises 1,370,000 images; MNIST Lab holds at most 800,000 per file');
  });

  it('stops unpacking a gzip bomb as soon as it passes the length its header promises', async () => {
    const source = writeDatasetFolder(tempDir('bomb-body'), { train: 20, test: 10 });
    // 20 honest images, then a gigabyte of zeros as 100 concatenated gzip members (about 1 MB packed).
    const zeros = gzipSync(Buffer.alloc(10 * 1024 * 1024), { level: 9 });
    const bomb = Buffer.concat([gzipSync(idxImages(20)), ...Array.from({ length: 100 }, () => zeros)]);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    writeFileSync(join(source, 'train-images-idx3-ubyte.gz'), bomb);
    rmSync(join(source, 'train-images-idx3-ubyte'));
    await expect(importFrom(source)).rejects.toThrow(`train-images-idx3-ubyte.gz: unpacks to more than the ${16 + 20 * 784} bytes its header promises`);
  });
});

describe('the dataset list survives a damaged data folder', () => {
  it('a dangling link in datasets/ hides nothing, and a damaged dataset.json is listed as damaged and removable', async () => {
    const dataDir = tempDir('damaged-list');
    const store = new DatasetStore(dataDir);
    await store.import({ name: 'Good', directory: writeDatasetFolder(tempDir('good'), { train: 20, test: 10 }) });
    const bad = await store.import({ name: 'Bad', directory: writeDatasetFolder(tempDir('bad'), { train: 20, test: 10 }) });
    symlinkSync(join(dataDir, 'nowhere'), join(dataDir, 'datasets', 'dangling'));
    mkdirSync(join(dataDir, 'datasets', 'Backup Copy (2)'));
    writeFileSync(join(dataDir, 'datasets', bad.id, 'dataset.json'), '{ "name": ');

    const listed = await new DatasetStore(dataDir).list();
    expect(listed.map((d) => [d.id, d.damaged === null])).toEqual([
      ['mnist', true],
      ['bad', false],
      ['good', true],
    ]);
    expect(listed.find((d) => d.id === 'bad')!.damaged).toMatch(/^dataset bad: dataset.json is damaged \(it is not JSON/);
    await store.remove('bad');
    expect((await store.list()).map((d) => d.id)).toEqual(['mnist', 'good']);
  });

  it('two imports of one name at once both succeed, with distinct ids', async () => {
    const dataDir = tempDir('race');
    const source = writeDatasetFolder(tempDir('race-source'), { train: 20, test: 10 });
    const [a, b] = await Promise.all([
      new DatasetStore(dataDir).import({ name: 'Same', directory: source }),
      new DatasetStore(dataDir).import({ name: 'Same', directory: source }),
    ]);
    expect(new Set([a.id, b.id])).toEqual(new Set(['same', 'same-2']));
    expect((await new DatasetStore(dataDir).list()).map((d) => d.id)).toEqual(['mnist', 'same', 'same-2']);
  });
});
