import { describe, expect, it } from 'vitest';
import { SplitChooser } from '../../main/worker/trainers/dataParallel/splitChooser';

/** Runs `steps` steps, each taking splitMs when it splits and wholeMs when not; the choices made. */
function drive(chooser: SplitChooser, steps: number, splitMs: number, wholeMs: number): boolean[] {
  const choices: boolean[] = [];
  for (let i = 0; i < steps; i++) {
    const split = chooser.next();
    choices.push(split);
    chooser.record(split ? splitMs : wholeMs);
  }
  return choices;
}

describe('the data-parallel trainer splits a batch over its threads only where that measures faster', () => {
  it('keeps splitting when the split steps are faster (the seed CNN on two cores)', () => {
    const choices = drive(new SplitChooser(), 100, 300, 520);
    expect(choices.slice(0, 3)).toEqual([true, true, true]);
    expect(choices.slice(11, 19)).toEqual(Array(8).fill(false));
    expect(choices.slice(19)).toEqual(Array(81).fill(true));
  });

  it('leaves the batch to one thread when splitting is slower (the seed MLP on two vCPUs of one core), and probes again later', () => {
    const chooser = new SplitChooser();
    const choices = drive(chooser, 500, 15, 9);
    expect(choices.slice(19, 403)).toEqual(Array(384).fill(false));
    expect(choices.slice(403, 411)).toEqual(Array(8).fill(true));
    expect(choices.slice(419)).toEqual(Array(81).fill(false));
    expect(chooser.takeCounts()).toEqual({ split: 3 + 8 + 8, all: 500 });
    expect(chooser.takeCounts()).toEqual({ split: 0, all: 0 });
  });

  it('decides by the median, so one slow step (a pause of the machine) does not decide', () => {
    const chooser = new SplitChooser();
    const times = (split: boolean, i: number) => (split ? (i === 5 ? 500 : 10) : 12);
    for (let i = 0; i < 19; i++) chooser.record(times(chooser.next(), i));
    expect(chooser.next()).toBe(true);
  });
});
