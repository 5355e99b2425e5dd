import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { classCounts, findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { parseIdx, parseIdxImages, parseIdxLabels } from '../../main/common/idx/parseIdx';
import { idxImages, idxLabels, writeDatasetFolder } from '../fixtures/idxFiles';
import { tempDir } from './tempDir';

describe('the real MNIST files', () => {
  it('has 60,000 training and 10,000 test images of 28×28 with the known class counts', async () => {
    const data = await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory()));
    expect(data.rows).toBe(28);
    expect(data.columns).toBe(28);
    expect(data.train.count).toBe(60_000);
    expect(data.test.count).toBe(10_000);
    expect(classCounts(data.train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(data.train.labels[0]).toBe(5);
    expect(data.test.labels[0]).toBe(7);
  });

  it('reads the gzip of a real file the same as the file', async () => {
    const plain = readFileSync(join(builtInMnistDirectory(), 't10k-labels-idx1-ubyte'));
    const fromGzip = await parseIdxLabels(gzipSync(plain), 't10k-labels-idx1-ubyte.gz');
    expect(Array.from(fromGzip.labels)).toEqual(Array.from(plain.subarray(8)));
  });
});

describe('damaged IDX files get a specific error naming the file', () => {
  it('rejects a wrong magic number', () => {
    const bytes = idxLabels([1, 2, 3]);
    new DataView(bytes.buffer).setUint32(0, 2050);
    expect(() => parseIdx(bytes, 'train-labels-idx1-ubyte')).toThrow(
      'train-labels-idx1-ubyte: magic number 2050 (0x00000802) is neither 2051 (images) nor 2049 (labels)',
    );
  });

  it('rejects a truncated image file', async () => {
    const bytes = idxImages(3).subarray(0, 16 + 2 * 784 + 100);
    await expect(parseIdxImages(bytes, 'train-images-idx3-ubyte')).rejects.toThrow(
      'train-images-idx3-ubyte: header promises 3 images of 28×28 (2368 bytes) but the file has 1684 bytes',
    );
  });

  it('rejects a file too short for a header', () => {
    expect(() => parseIdx(new Uint8Array(5), 'x-idx1-ubyte')).toThrow('x-idx1-ubyte: only 5 bytes, too short for an IDX header');
  });

  it('rejects a label outside 0–9', async () => {
    await expect(parseIdxLabels(idxLabels([3, 11, 4]), 't10k-labels-idx1-ubyte')).rejects.toThrow(
      't10k-labels-idx1-ubyte: label 11 at index 1 is not a digit 0–9',
    );
  });

  it('rejects gzip of garbage', async () => {
    const garbage = new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await expect(parseIdxImages(garbage, 'train-images-idx3-ubyte.gz')).rejects.toThrow(/^train-images-idx3-ubyte\.gz: not a valid gzip file/);
  });

  it('rejects labels where images are expected', async () => {
    await expect(parseIdxImages(idxLabels([1]), 'train-images-idx3-ubyte')).rejects.toThrow(
      'train-images-idx3-ubyte: holds labels (magic 2049), expected images (magic 2051)',
    );
  });

  it('rejects a label count that does not match the image count', async () => {
    const dir = writeDatasetFolder(tempDir('idx-mismatch'), { train: 20, test: 10, trainLabels: Array.from({ length: 19 }, () => 1) });
    await expect(loadIdxDataset(await findDatasetFiles(dir))).rejects.toThrow('train-labels-idx1-ubyte: 19 labels but 20 images in train-images-idx3-ubyte');
  });

  it('names the files a folder lacks, or says the folder is not there', async () => {
    const dir = tempDir('idx-missing');
    await expect(findDatasetFiles(dir)).rejects.toThrow(/lacks files named like train-images/);
    await expect(findDatasetFiles(join(dir, 'nowhere'))).rejects.toThrow(`cannot read folder ${join(dir, 'nowhere')}: there is no such folder`);
  });
});
