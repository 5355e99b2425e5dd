import { median } from '../../../../shared/metrics/median';

/** Steps of each probe (split, then not), after which the faster way is kept. */
const probeSteps = 8;
/** Steps between probes, so a change in the machine's load is noticed. */
const reprobeEvery = 400;
/** The first steps compile kernels and allocate: they time neither way. */
const warmupSteps = 3;
/** Steps before the first choice is made: a bench times what comes after. */
export const firstChoiceAfter = warmupSteps + 2 * probeSteps;

/**
 * Whether a step splits its batch over the threads or leaves it all to the training thread. Cores
 * that share their execution units (two vCPUs of one physical core, a busy host) can make the
 * split slower than one thread: the seed MLP trained at 15,000 images/s on one thread of a 2-vCPU
 * VM and 8,800 on two (2026-12-02; PyTorch lost as much, 32,700 against 12,400). So the trainer
 * times a few steps each way now and then (by the median, as a step's time jitters) and keeps the
 * faster; the helpers still update their slices of the weights either way.
 */
export class SplitChooser {
  private step = 0;
  private split = true;
  private readonly probes: { split: number[]; whole: number[] } = { split: [], whole: [] };
  /** Steps that split the batch, and all steps, since last read. */
  private counts = { split: 0, all: 0 };

  /** Whether the next step splits its batch. */
  next(): boolean {
    const phase = this.phase();
    const split = phase === 'probe split' ? true : phase === 'probe whole' ? false : this.split;
    this.counts.split += split ? 1 : 0;
    this.counts.all++;
    return split;
  }

  /** The time of the step that `next` was just asked about. */
  record(milliseconds: number): void {
    const phase = this.phase();
    if (phase === 'probe split') this.probes.split.push(milliseconds);
    if (phase === 'probe whole') this.probes.whole.push(milliseconds);
    this.step++;
    if (this.phase() === 'decided' && this.probes.whole.length === probeSteps) {
      this.split = median(this.probes.split) <= median(this.probes.whole);
      this.probes.split = [];
      this.probes.whole = [];
    }
  }

  /** How many steps split their batch, out of how many, since the last call. */
  takeCounts(): { split: number; all: number } {
    const counts = this.counts;
    this.counts = { split: 0, all: 0 };
    return counts;
  }

  private phase(): 'warm-up' | 'probe split' | 'probe whole' | 'decided' {
    if (this.step < warmupSteps) return 'warm-up';
    const inCycle = (this.step - warmupSteps) % reprobeEvery;
    return inCycle < probeSteps ? 'probe split' : inCycle < 2 * probeSteps ? 'probe whole' : 'decided';
  }
}
