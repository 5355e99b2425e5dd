import { describe, expect, it } from 'vitest';
import { optimizerSlices } from '../../main/worker/trainers/dataParallel/sharedBuffers';
import { shardSizes } from '../../main/worker/trainers/dataParallel/shardSizes';

// The optimiser step itself is held to its rule in optimizerRules.test.ts.

describe('slices of the parameters', () => {
  it('cover them once, one per thread, in order', () => {
    expect(optimizerSlices(500, 3)).toEqual([
      [0, 166],
      [166, 333],
      [333, 500],
    ]);
    expect(optimizerSlices(2, 3).flat().at(-1)).toBe(2);
  });
});

describe('shards of a batch', () => {
  it("follow each thread's speed, add up to the batch, and give the training thread at least one image", () => {
    expect(shardSizes(200, [1, 1])).toEqual([100, 100]);
    expect(shardSizes(200, [1, 3])).toEqual([50, 150]);
    expect(shardSizes(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(shardSizes(2, [1, 1, 1, 1])).toEqual([1, 1, 0, 0]);
    expect(shardSizes(3, [0.001, 5, 5])).toEqual([1, 1, 1]);
    for (const count of [1, 7, 64, 199]) expect(shardSizes(count, [0.3, 0.7, 0.5, 0.9]).reduce((a, b) => a + b)).toBe(count);
  });
});
