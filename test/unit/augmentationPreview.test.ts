import { beforeAll, describe, expect, it } from 'vitest';
import { augmentedDigits } from '../../renderer/lib/augmentationPreview';
import { assembleTrainingBatch } from '../../main/worker/training/batchAssembly';
import { findDatasetFiles, loadIdxDataset } from '../../main/common/idx/loadIdxDataset';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { findPreset } from '../../shared/layers/presets';
import { seededRandom } from '../../shared/training/seededRandom';

let train: Awaited<ReturnType<typeof loadIdxDataset>>['train'];
beforeAll(async () => {
  ({ train } = await loadIdxDataset(await findDatasetFiles(builtInMnistDirectory())));
});

describe("the designer's augmentation preview shows digits as the trainer assembles them", () => {
  it("deep-cnn's shifts and rotations: the preview's 16 digits are the trainer's batch for the same images and random numbers", () => {
    const augmentation = findPreset('deep-cnn')!.settings.augmentation!;
    expect(augmentation).not.toBeNull();
    const indices = Array.from({ length: 16 }, (_, i) => 300 + i);
    const x = new Float32Array(16 * 784);
    assembleTrainingBatch(train.pixels, train.labels, indices, augmentation, seededRandom(9), x, new Float32Array(16 * 10));
    const preview = augmentedDigits(train.pixels.subarray(300 * 784, 316 * 784), 16, augmentation, 9);
    expect(preview).toEqual(x);
    // And the augmentation moved them: not the plain digits.
    const plain = Float32Array.from(train.pixels.subarray(300 * 784, 316 * 784), (p) => p / 255);
    expect(preview.filter((v, i) => Math.abs(v - plain[i]!) > 0.1).length).toBeGreaterThan(500);
  });
});
