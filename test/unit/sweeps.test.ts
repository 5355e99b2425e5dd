import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../../shared/layers/presets';
import { planSweep, trialSpec, type SweepSpec } from '../../shared/sweeps/sweepPlan';
import { toKerasTunerScript } from '../../shared/sweeps/kerasTunerScript';
import type { RunSummary } from '../../shared/apiTypes';
import type { SweepSummary } from '../../shared/sweeps/sweepSummary';
import { axisPositions } from '../../renderer/lib/parallelAxes';
import { bestRow, queueMove, shownRows, sweepRows, sweptSettings } from '../../renderer/lib/sweepTable';
import { translate } from '../../renderer/lib/i18n/messages';
import { sweepMessage } from '../../renderer/lib/i18n/sweepMessage';
import { runsWithSetting } from '../../renderer/lib/runFilter';
import { specSettings } from '../../shared/sweeps/sweepSettings';
import { labHarness, seedSpec } from './labHarness';
import { tempDir } from './tempDir';

const cli = join(process.cwd(), 'dist', 'main', 'cli.cjs');

function sweep(overrides: Partial<SweepSpec>, preset: 'seed-mlp' | 'seed-cnn' = 'seed-mlp'): SweepSpec {
  return {
    name: 'test sweep',
    base: seedSpec(preset, { epochs: 1, trainLimit: 500, testLimit: 200 }),
    grid: [],
    random: null,
    maxRuns: 50,
    maxMinutes: null,
    ...overrides,
  };
}

const problems = (spec: SweepSpec) => {
  const plan = planSweep(spec);
  return plan.ok ? [] : plan.problems.map((p) => p.message);
};

describe('a sweep plan', () => {
  it('combines every grid value with every other, and applies each to the base design', () => {
    const plan = planSweep(
      sweep(
        {
          grid: [
            { setting: 'learningRate', values: [0.001, 0.0003] },
            { setting: 'dropout', values: [0.25, 0.5] },
          ],
        },
        'seed-cnn',
      ),
    );
    expect(plan.ok && plan.trials).toEqual([
      { learningRate: 0.001, dropout: 0.25 },
      { learningRate: 0.001, dropout: 0.5 },
      { learningRate: 0.0003, dropout: 0.25 },
      { learningRate: 0.0003, dropout: 0.5 },
    ]);
    const spec = plan.ok ? plan.specs[3]! : null;
    expect(spec?.name).toBe('test sweep: learningRate=0.0003, dropout=0.5');
    expect(spec?.settings.optimizer.learningRate).toBe(0.0003);
    // Every Dropout of the seed CNN (its 0.25 and its 0.5) takes the swept rate.
    expect(spec?.layers.filter((l) => l.type === 'dropout').map((l) => (l as { rate: number }).rate)).toEqual([0.5, 0.5]);
    expect(findPreset('seed-cnn')!.layers.filter((l) => l.type === 'dropout')).toHaveLength(2);
  });

  it('draws random runs from ranges and lists, the same for the same seed, each inside its range', () => {
    const spec = sweep({
      grid: [{ setting: 'batchSize', values: [100, 200] }],
      random: {
        count: 5,
        seed: 3,
        axes: [
          { setting: 'learningRate', min: 1e-4, max: 1e-2, log: true },
          { setting: 'optimizer', choices: ['adam', 'sgd'], log: false },
        ],
      },
    });
    const plan = planSweep(spec);
    if (!plan.ok) throw new Error(plan.problems.map((p) => p.message).join('; '));
    expect(plan.trials).toHaveLength(10);
    for (const trial of plan.trials) {
      expect(trial.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(trial.learningRate).toBeLessThanOrEqual(1e-2);
      expect(['adam', 'sgd']).toContain(trial.optimizer);
    }
    expect((planSweep(spec) as { trials: unknown }).trials).toEqual(plan.trials);
    expect(trialSpec(spec, { optimizer: 'sgd', learningRate: 0.01 }).settings.optimizer).toEqual({ type: 'sgd', learningRate: 0.01, momentum: 0.9 });
  });

  it('refuses, before anything starts, values out of range, a setting the design lacks, a repeated axis and more runs than the budget', () => {
    expect(problems(sweep({ grid: [{ setting: 'learningRate', values: [0.001, 2] }] }))).toEqual(['learningRate 2 is outside 0.000001–1']);
    expect(problems(sweep({ grid: [{ setting: 'batchSize', values: [64.5] }] }))).toEqual(['batchSize takes whole numbers, not 64.5']);
    expect(problems(sweep({ grid: [{ setting: 'dropout', values: [0.5] }] }))).toEqual(['dropout: the design has no Dropout layer to change']);
    expect(problems(sweep({ grid: [{ setting: 'optimizer', values: ['adamw'] }] }))).toEqual(['optimizer is one of adam, sgd, rmsprop, not adamw']);
    expect(
      problems(
        sweep({
          grid: [
            { setting: 'epochs', values: [1] },
            { setting: 'epochs', values: [2] },
          ],
        }),
      ),
    ).toEqual(['epochs is varied twice; name each setting once']);
    const huge = (['learningRate', 'batchSize', 'epochs', 'units', 'shift', 'rotation'] as const).map((setting) => ({
      setting,
      values: Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (setting === 'learningRate' ? n / 100 : setting === 'shift' ? n % 7 : n)),
    }));
    const started = Date.now();
    expect(problems(sweep({ grid: huge, maxRuns: 500 }))).toEqual(['the sweep would train 1,000,000 runs, more than its budget of 500']);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(problems(sweep({ random: { count: 2, seed: 1, axes: [{ setting: 'units', min: 10, max: 5, log: false }] } }))).toEqual([
      'units: min 10 is above max 5',
    ]);
  });

  it('gives each refusal as a reason the interface words in Korean, the setting named in Korean too', () => {
    const plan = planSweep(
      sweep({
        grid: [
          { setting: 'learningRate', values: [5] },
          { setting: 'kernelSize', values: [] },
        ],
      }),
    );
    if (plan.ok) throw new Error('the plan should be refused');
    expect(plan.problems.map((p) => p.reason)).toEqual([
      { key: 'outside', params: { setting: 'learningRate', value: 5, min: 1e-6, max: 1 } },
      { key: 'noValues', params: { setting: 'kernelSize' } },
      { key: 'noLayer', params: { setting: 'kernelSize', layer: 'Conv2D' } },
    ]);
    const words = (language: 'en' | 'ko') => plan.problems.map((p) => sweepMessage(p.reason)).map((m) => translate(language, m.key, m.params));
    expect(words('en')).toEqual([
      'learning rate 5 is outside 0.000001–1',
      'kernel size: give at least one value',
      'kernel size: the design has no Conv2D layer to change',
    ]);
    expect(words('ko')).toEqual([
      '학습률 5은(는) 0.000001–1 범위를 벗어납니다',
      '커널 크기: 값을 하나 이상 적으세요',
      '커널 크기: 디자인에 바꿀 Conv2D 레이어가 없습니다',
    ]);
    // A value that makes a run's design unbuildable carries the designer's own reason: 28 → 22 → 11 → 5 → 2, too small for 7×7.
    const conv = { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' } as const;
    const pool = { type: 'maxPooling2d', poolSize: 2, padding: 'valid' } as const;
    const deep = sweep({ grid: [{ setting: 'kernelSize', values: [3, 7] }] });
    deep.base = { ...deep.base, layers: [deep.base.layers[0]!, conv, pool, conv, pool, conv, { type: 'flatten' }, deep.base.layers.at(-1)!] };
    const unbuilt = planSweep(deep);
    if (unbuilt.ok) throw new Error('a 7×7 window cannot fit the third convolution');
    expect(unbuilt.problems.map((p) => p.message)).toEqual([
      "run 2 (test sweep: kernelSize=7) does not build: Conv2D's 7×7 window does not fit the 2×2 image MaxPooling2D before it produced: use 'same' padding or a smaller window",
    ]);
    const ko = sweepMessage(unbuilt.problems[0]!.reason);
    expect(translate('ko', ko.key, ko.params)).toMatch(/^실행 2 \(test sweep: kernelSize=7\)은\(는\) 만들어지지 않습니다: Conv2D의 7×7 창이/);
  });

  it('refuses a spec that names an unknown setting or an empty list, in the app and the CLI', async () => {
    const lab = labHarness();
    const bad = { ...sweep({}), grid: [{ setting: 'momentumz', values: [1] }] } as unknown as SweepSpec;
    await expect(lab.service.startSweep(bad)).rejects.toThrow(/^the sweep cannot start: .*a sweep varies one of learningRate, batchSize/);
    await expect(lab.service.startSweep(sweep({ grid: [{ setting: 'epochs', values: [] }] }))).rejects.toThrow(/a grid axis needs at least one value/);
    const unknown = spawnSync(process.execPath, [cli, 'sweep', '--preset', 'seed-mlp', '--grid', 'lr=0.1', '--data-dir', lab.dataDir], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^--grid lr=0.1: no setting lr; sweeps vary learningRate, batchSize/);
    const outOfRange = spawnSync(process.execPath, [cli, 'sweep', '--preset', 'seed-mlp', '--grid', 'learningRate=0.1,5', '--data-dir', lab.dataDir], {
      encoding: 'utf8',
    });
    expect(outOfRange.stderr).toBe('the sweep cannot start: learningRate 5 is outside 0.000001–1\n');
    expect(existsSync(join(lab.dataDir, 'runs')) ? readdirSync(join(lab.dataDir, 'runs')) : []).toEqual([]);
  });
});

describe('npm run sweep', () => {
  it('trains every run of the grid, a line each as it ends, and names the one with the best validation accuracy', () => {
    const dataDir = tempDir('sweep-cli');
    const args = [
      '--preset',
      'seed-mlp',
      '--grid',
      'learningRate=0.001,0.003',
      '--grid',
      'batchSize=100,200',
      '--limit',
      '1000',
      '--test-limit',
      '500',
      '--epochs',
      '1',
    ];
    const result = spawnSync(process.execPath, [cli, 'sweep', ...args, '--json', '--data-dir', dataDir], { encoding: 'utf8', timeout: 200_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; runId: string; settings: object; bestValAccuracy: number; best?: { runId: string } });
    const runs = lines.filter((l) => l.type === 'run');
    expect(runs.map((r) => r.settings)).toEqual([
      { learningRate: 0.001, batchSize: 100 },
      { learningRate: 0.001, batchSize: 200 },
      { learningRate: 0.003, batchSize: 100 },
      { learningRate: 0.003, batchSize: 200 },
    ]);
    const best = runs.reduce((a, b) => (b.bestValAccuracy > a.bestValAccuracy ? b : a));
    expect(lines.at(-1)).toMatchObject({ type: 'summary', runs: 4, done: 4, best: { runId: best.runId } });
  }, 240_000);
});

describe('a sweep queue', () => {
  it('resumes after the process training it is killed, training only the runs not yet trained', async () => {
    const dataDir = tempDir('sweep-resume');
    const args = ['sweep', '--preset', 'seed-mlp', '--grid', 'learningRate=0.001,0.002,0.003', '--limit', '500', '--test-limit', '200', '--epochs', '1'];
    const child = spawn(process.execPath, [cli, ...args, '--json', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'ignore'] });
    // Killed (SIGKILL, nothing saved on the way out) as soon as its first run has ended.
    const first = await new Promise<{ runId: string }>((resolve) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((l) => l.startsWith('{"type":"run"'));
        if (line) {
          child.kill('SIGKILL');
          resolve(JSON.parse(line) as { runId: string });
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));

    const lab = labHarness({ dataDir, shell: 'browser' });
    await lab.service.whenSweepsDone();
    const { sweeps, damaged } = await lab.service.listSweeps();
    expect(damaged).toEqual([]);
    expect(sweeps).toHaveLength(1);
    const [resumed] = sweeps;
    expect(resumed!.state).toBe('done');
    expect(resumed!.trials.map((t) => t.status)).toEqual(['done', 'done', 'done']);
    // The run finished before the kill is kept, not trained again.
    expect(resumed!.trials[0]!.runId).toBe(first.runId);
    const runs = await lab.service.listRuns();
    for (const trial of resumed!.trials) expect(runs.find((r) => r.id === trial.runId)?.status).toBe('completed');
    // Pausing a finished sweep changes nothing, so its queue file is not written again.
    const file = join(dataDir, 'sweeps', resumed!.id, 'sweep.json');
    const written = statSync(file).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await lab.service.pauseSweep({ sweepId: resumed!.id })).state).toBe('done');
    expect(statSync(file).mtimeMs).toBe(written);
  }, 240_000);

  it('sets a damaged queue file aside and reports it, and can be paused, reordered and cut', async () => {
    const lab = labHarness();
    mkdirSync(join(lab.dataDir, 'sweeps', '20260101-000000-dead'), { recursive: true });
    writeFileSync(join(lab.dataDir, 'sweeps', '20260101-000000-dead', 'sweep.json'), '{"not": "a sweep"');
    const created = await lab.service.startSweep(sweep({ grid: [{ setting: 'epochs', values: [1, 2, 3, 4] }] }));
    await lab.service.pauseSweep({ sweepId: created.id });
    await lab.service.whenSweepsDone();
    const { sweeps, damaged } = await lab.service.listSweeps();
    expect(damaged).toEqual([
      { id: '20260101-000000-dead', detail: expect.stringMatching(/set aside as sweeps\/20260101-000000-dead\/sweep\.json\.damaged-\d+$/) },
    ]);
    expect(readdirSync(join(lab.dataDir, 'sweeps', '20260101-000000-dead'))).toEqual([expect.stringMatching(/^sweep\.json\.damaged-\d+$/)]);
    const paused = sweeps.find((s) => s.id === created.id)!;
    expect(paused.state).toBe('paused');
    const waiting = paused.trials.filter((t) => t.status === 'pending').length;
    expect(waiting).toBeGreaterThanOrEqual(3);
    const last = paused.trials.length - 1;
    const moved = await lab.service.moveSweepRun({ sweepId: created.id, from: last, to: last - 1 });
    expect(moved.trials.at(-2)!.settings).toEqual({ epochs: 4 });
    const cut = await lab.service.cutSweep({ sweepId: created.id });
    expect(cut.trials.filter((t) => t.status === 'pending')).toEqual([]);
    await lab.service.whenIdle();
  }, 120_000);
});

describe('the KerasTuner script of a sweep', () => {
  const spec = sweep(
    {
      grid: [
        { setting: 'learningRate', values: [0.001, 0.0003] },
        { setting: 'dropout', values: [0.25, 0.5] },
        { setting: 'batchSize', values: [64, 128] },
      ],
      random: { count: 3, seed: 1, axes: [{ setting: 'units', min: 64, max: 256, log: true }] },
      maxRuns: 24,
    },
    'seed-cnn',
  );
  const script = toKerasTunerScript(spec);

  it('names the same axes and ranges as the sweep, and reads them where the design uses them', () => {
    const hyperparameters = [...script.matchAll(/hp\.(Choice|Int|Float)\('(\w+)', (.*)\)$/gm)].map(([, kind, name, args]) => [kind, name, args]);
    expect(hyperparameters).toEqual([
      ['Choice', 'learningRate', '[0.001, 0.0003]'],
      ['Choice', 'dropout', '[0.25, 0.5]'],
      ['Int', 'units', "64, 256, sampling='log'"],
      ['Choice', 'batchSize', '[64, 128]'],
    ]);
    expect(script).toContain('layers.Dropout(dropout)');
    expect(script).toContain("layers.Dense(units, activation='relu')");
    expect(script).toContain("layers.Dense(10, activation='softmax')");
    expect(script).toContain("tuner = kt.RandomSearch(MnistLabModel(), objective='val_accuracy', max_trials=24");
    expect(script).toContain('model.fit(*args, batch_size=batch_size, epochs=1, **kwargs)');
  });

  it('is Python that compiles', () => {
    const python = spawnSync('python3', ['-c', 'import sys; compile(sys.stdin.read(), "sweep.py", "exec")'], { input: script, encoding: 'utf8' });
    expect(python.stderr).toBe('');
    expect(python.status).toBe(0);
  });
});

describe('a run as the history filters it', () => {
  it("has every sweepable setting of its spec, a layer setting's differing values joined", async () => {
    expect(specSettings(seedSpec('seed-cnn', {}))).toEqual({
      learningRate: 0.001,
      batchSize: 200,
      epochs: 30,
      optimizer: 'adam',
      shift: 0,
      rotation: 0,
      dropout: '0.25/0.5',
      filters: '32/64',
      kernelSize: 3,
      units: 128,
    });
    expect(runsWithSetting([{ settings: { dropout: '0.25/0.5' } }, { settings: { dropout: 0.5 } }, { settings: {} }], 'dropout', '0.5')).toHaveLength(2);
    const lab = labHarness();
    await lab.service.startSweep(sweep({ grid: [{ setting: 'batchSize', values: [50] }] }));
    await lab.service.whenSweepsDone();
    const run = (await lab.service.listRuns()).find((r) => r.name === 'test sweep: batchSize=50');
    expect(run?.settings).toMatchObject({ batchSize: 50, epochs: 1, units: 512 });
  }, 120_000);
});

describe("a sweep's results table", () => {
  const spec = sweep({
    grid: [
      { setting: 'learningRate', values: [0.001, 0.003] },
      { setting: 'optimizer', values: ['adam', 'sgd'] },
    ],
  });
  const run = (id: string, bestValAccuracy: number | null) =>
    ({ id, bestValAccuracy, testAccuracy: bestValAccuracy, params: 10, seconds: 3 }) as unknown as RunSummary;
  const summary: SweepSummary = {
    id: 'sweep-1',
    spec,
    createdAt: '',
    startedAt: null,
    state: 'running',
    trials: [
      { settings: { learningRate: 0.001, optimizer: 'adam' }, status: 'done', runId: 'a' },
      { settings: { learningRate: 0.001, optimizer: 'sgd' }, status: 'done', runId: 'b' },
      { settings: { learningRate: 0.003, optimizer: 'adam' }, status: 'training', runId: 'c' },
      { settings: { learningRate: 0.003, optimizer: 'sgd' }, status: 'pending', runId: null },
    ],
  };
  const rows = sweepRows(summary, [run('a', 0.9), run('b', 0.95), run('c', 0.97)]);

  it('marks the best finished run (a run still training does not count), sorts by any column and filters by setting', () => {
    expect(sweptSettings(summary)).toEqual(['learningRate', 'optimizer']);
    expect(bestRow(rows)?.position).toBe(2);
    const byAccuracy = shownRows(rows, {}, { column: { kind: 'result', name: 'bestValAccuracy' }, descending: true });
    expect(byAccuracy.map((r) => r.position)).toEqual([3, 2, 1, 4]);
    const byOptimizer = shownRows(rows, {}, { column: { kind: 'setting', name: 'optimizer' }, descending: false });
    expect(byOptimizer.map((r) => r.position)).toEqual([1, 3, 2, 4]);
    expect(shownRows(rows, { learningRate: '0.003', optimizer: 'sg' }, null).map((r) => r.position)).toEqual([4]);
  });

  it('moves a waiting run among the waiting runs only; runs trained or training keep their places', () => {
    const queue = sweepRows(
      { ...summary, trials: [...summary.trials, { settings: { learningRate: 0.01, optimizer: 'adam' }, status: 'pending', runId: null }] },
      [],
    );
    expect(queueMove(queue, queue[3]!, true)).toBeNull();
    expect(queueMove(queue, queue[3]!, false)).toEqual({ from: 3, to: 4 });
    expect(queueMove(queue, queue[4]!, true)).toEqual({ from: 4, to: 3 });
    expect(queueMove(queue, queue[4]!, false)).toBeNull();
    expect(queueMove(queue, queue[2]!, true)).toBeNull();
  });

  it('places numbers on a log axis when they span a wide positive range, and words evenly', () => {
    expect(axisPositions([0.0001, 0.001, 0.01, null])).toEqual([0, expect.closeTo(0.5, 9), 1, null]);
    expect(axisPositions([1, 2, 3])).toEqual([0, 0.5, 1]);
    expect(axisPositions(['sgd', 'adam', 'rmsprop'])).toEqual([1, 0, 0.5]);
  });
});
