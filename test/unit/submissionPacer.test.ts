import { describe, expect, it } from 'vitest';
import { SubmissionPacer } from '../../main/worker/training/submissionPacer';

/** A submission the test finishes by hand, at a time it sets. */
function gpuWork() {
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

let clock = 0;
/** Finishes `work` at time `t` and lets the pacer see it. */
async function finishAt(work: { finish: () => void }, t: number) {
  clock = t;
  work.finish();
  await new Promise((resolve) => setImmediate(resolve));
}

describe('pacing the GPU engine’s submissions', () => {
  it('starts with one step, then fills about 20 ms of GPU time, within what is left and the cap', async () => {
    clock = 0;
    const pacer = new SubmissionPacer(20, 64, () => clock);
    expect(pacer.size(100)).toBe(1);
    const first = gpuWork();
    await pacer.submitted(1, first.done);
    await finishAt(first, 2);
    // 2 ms a step: ten steps make 20 ms.
    expect(pacer.size(100)).toBe(10);
    expect(pacer.size(3)).toBe(3);
    const fast = gpuWork();
    await pacer.submitted(10, fast.done);
    await finishAt(fast, 2.1);
    expect(pacer.size(1000)).toBe(64);
  });

  it('times a submission from when the GPU got to it, and keeps at most two on the GPU', async () => {
    clock = 0;
    const pacer = new SubmissionPacer(20, 64, () => clock);
    const [a, b, c] = [gpuWork(), gpuWork(), gpuWork()];
    await pacer.submitted(1, a.done);
    await pacer.submitted(1, b.done);
    let thirdQueued = false;
    const third = pacer.submitted(1, c.done).then(() => (thirdQueued = true));
    await Promise.resolve();
    expect(thirdQueued).toBe(false);
    await finishAt(a, 5);
    await third;
    expect(thirdQueued).toBe(true);
    // b was submitted at 0 but waited for a until 5: 10 ms from 5 to 15 is 10 ms a step, so two fit in 20.
    await finishAt(b, 15);
    expect(pacer.size(100)).toBe(2);
    await finishAt(c, 35);
    expect(pacer.size(100)).toBe(1);
  });
});
