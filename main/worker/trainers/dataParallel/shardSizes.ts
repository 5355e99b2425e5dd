/**
 * Splits `count` images between threads in proportion to each thread's measured speed (images
 * per millisecond), so that all of them finish together; the training thread (0) always gets
 * at least one image, and a thread may get none when the batch is smaller than the threads.
 */
export function shardSizes(count: number, rates: number[]): number[] {
  const total = rates.reduce((a, b) => a + b, 0);
  const exact = rates.map((rate) => (count * rate) / total);
  const sizes = exact.map(Math.floor);
  let left = count - sizes.reduce((a, b) => a + b, 0);
  // Largest remainders first, then the training thread, so the sizes always add up to count.
  const order = exact.map((value, t) => ({ t, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.t - b.t);
  for (let i = 0; left > 0; i = (i + 1) % order.length, left--) sizes[order[i]!.t]!++;
  if (sizes[0] === 0 && count > 0) {
    const donor = sizes.indexOf(Math.max(...sizes));
    sizes[donor]!--;
    sizes[0] = 1;
  }
  return sizes;
}
