import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../shared/apiTypes';
import { defaultRun } from '../../shared/runs/defaultRun';
import { uniqueRunName } from '../../shared/runs/uniqueRunName';

const run = (id: string, status: RunStatus, hasCheckpoint = true, hasEvaluation = true) => ({ id, status, hasCheckpoint, hasEvaluation });

describe('the run a view opens on', () => {
  it('is the newest finished run, passing over newer stopped, failed and running ones', () => {
    const runs = [run('d', 'running'), run('c', 'stopped'), run('b', 'failed'), run('a', 'completed'), run('z', 'completed')];
    expect(defaultRun(runs)?.id).toBe('a');
    expect(defaultRun([run('i', 'interrupted'), run('m', 'imported')])?.id).toBe('m');
    expect(defaultRun([run('s', 'stopped'), run('e', 'ensemble'), run('a', 'completed')])?.id).toBe('e');
  });

  it('is the newest run with a checkpoint when none finished, and none when no run has a checkpoint', () => {
    expect(defaultRun([run('c', 'stopped'), run('b', 'failed', false)])?.id).toBe('c');
    expect(defaultRun([run('a', 'completed', false)])).toBeUndefined();
  });

  it('can ask for more, as the inspector asks for an evaluation', () => {
    const runs = [run('b', 'completed', true, false), run('a', 'completed')];
    expect(defaultRun(runs, (r) => r.hasEvaluation)?.id).toBe('a');
  });
});

describe('a new run name', () => {
  it('is kept when free, else numbered with the first free number, within the 120-character limit', () => {
    expect(uniqueRunName('mnist_cnn', ['other'])).toBe('mnist_cnn');
    expect(uniqueRunName('mnist_cnn', ['mnist_cnn', 'mnist_cnn (2)'])).toBe('mnist_cnn (3)');
    const long = 'x'.repeat(120);
    const named = uniqueRunName(long, [long]);
    expect(named).toHaveLength(120);
    expect(named.endsWith(' (2)')).toBe(true);
  });
});
