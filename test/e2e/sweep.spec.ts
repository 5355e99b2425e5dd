import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPreset } from '../../shared/layers/presets';
import { planSweep, type SweepSpec } from '../../shared/sweeps/sweepPlan';
import type { SweepSummary } from '../../shared/sweeps/sweepSummary';
import { startBrowserMode } from './serverProcess';

const url = () => process.env.LAB_URL!;
const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

test("a sweep's runs in a table, sorted and filtered by setting, and in a parallel-coordinates plot, the best marked", async ({ page }) => {
  test.setTimeout(180_000);
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
  const output = execFileSync(
    process.execPath,
    ['dist/main/cli.cjs', 'sweep', ...args, '--name', 'Grid sweep', '--json', '--data-dir', process.env.LAB_DATA_DIR!],
    {
      encoding: 'utf8',
    },
  );
  const summary = JSON.parse(output.trim().split('\n').at(-1)!) as { best: { runId: string; settings: { learningRate: number } } };

  await page.goto(`${url().split('#')[0]}#training`);
  const results = page.getByTestId('sweep-results').filter({ hasText: 'Sweep: Grid sweep' });
  await expect(results.getByTestId('sweep-state')).toHaveText('done: 4 of 4 runs trained');
  await expect(results.getByTestId('sweep-row')).toHaveCount(4);
  await expect(results.getByTestId('sweep-plot')).toHaveAttribute('data-lines', '4');
  // Sorted by best validation accuracy, best first: the run the CLI named, starred.
  await expect(results.getByTestId('sweep-row').first()).toContainText('★');
  await expect(results.getByTestId('sweep-use-best')).toHaveAttribute('href', `#designer?run=${summary.best.runId}`);
  await results.screenshot({ path: `${shots}/training-sweep.png` });
  // A sweep started anywhere (here the CLI) offers its KerasTuner script too.
  await results.getByText('The same search as a KerasTuner script').click();
  await expect(results.getByTestId('sweep-results-code')).toContainText("hp.Choice('learningRate', [0.001, 0.003])");
  await expect(results.getByTestId('sweep-results-code')).toContainText("hp.Choice('batchSize', [100, 200])");
  const download = page.waitForEvent('download');
  await results.getByTestId('sweep-code-download').click();
  expect((await download).suggestedFilename()).toBe('Grid sweep_tuner.py');
  await results.getByText('The same search as a KerasTuner script').click();

  await results.getByRole('textbox', { name: 'Only runs whose learning rate contains' }).fill('0.003');
  await expect(results.getByTestId('sweep-row')).toHaveCount(2);
  for (const row of await results.getByTestId('sweep-row').all()) await expect(row.locator('td').nth(1)).toHaveText('0.003');
  await results.getByRole('textbox', { name: 'Only runs whose learning rate contains' }).fill('');
  await results.getByRole('button', { name: 'batch size' }).click();
  await expect(results.getByTestId('sweep-row').locator('td:nth-child(3)')).toHaveText(['100', '100', '200', '200']);
  // The run history filters every run by a setting, swept or not.
  await page.getByTestId('history-filter-setting').selectOption('learningRate');
  await page.getByTestId('history-filter-value').fill('0.003');
  await expect(page.getByTestId('history-row').filter({ hasText: 'Grid sweep' })).toHaveCount(2);
  await page.getByTestId('history-filter-value').fill('');
  await expect(page.getByTestId('history-row').filter({ hasText: 'Grid sweep' })).toHaveCount(4);
  await results.getByTestId('sweep-use-best').click();
  await expect(page).toHaveURL(new RegExp(`#designer\\?run=${summary.best.runId}$`));
});

test('the designer\'s "Sweep…" counts the runs as the grid is typed, refuses a value out of range, and shows its KerasTuner code', async ({ page }) => {
  await page.goto(`${url().split('#')[0]}#designer`);
  await page.getByTestId('sweep-design').click();
  const dialog = page.getByTestId('sweep-dialog');
  await expect(dialog.getByTestId('sweep-plan')).toHaveText('It will train 2 runs.');
  await dialog.getByRole('button', { name: 'Add a setting' }).click();
  await dialog.getByRole('textbox', { name: 'Values of setting 2' }).fill('100, 200, 300');
  await expect(dialog.getByTestId('sweep-plan')).toHaveText('It will train 6 runs.');
  await dialog.getByRole('textbox', { name: 'Values of setting 1' }).fill('0.001, 5');
  await expect(dialog.getByTestId('sweep-problems')).toHaveText('learning rate 5 is outside 0.000001–1');
  await expect(dialog.getByTestId('sweep-start')).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Values of setting 1' }).fill('0.001, 0.003');
  await dialog.getByTestId('sweep-show-code').click();
  await expect(dialog.getByTestId('sweep-code')).toContainText("learning_rate = hp.Choice('learningRate', [0.001, 0.003])");
  await expect(dialog.getByTestId('sweep-code')).toContainText("batch_size = hp.Choice('batchSize', [100, 200, 300])");
  await expect(dialog.getByTestId('sweep-start')).toBeEnabled();

  // The batch size drawn at random instead: a range, a log scale, a number of draws, each combined with both rates.
  await dialog.getByRole('combobox', { name: 'How setting 2 varies' }).selectOption('random');
  await expect(dialog.getByTestId('sweep-problems')).toHaveText('batch size needs a range (min and max) or a list of choices');
  await dialog.getByRole('textbox', { name: 'Lowest value of setting 2' }).fill('32');
  await dialog.getByRole('textbox', { name: 'Highest value of setting 2' }).fill('512');
  await dialog.getByRole('checkbox', { name: 'log scale' }).check();
  await dialog.getByRole('spinbutton', { name: 'Random draws' }).fill('5');
  await expect(dialog.getByTestId('sweep-plan')).toHaveText('It will train 10 runs.');
  await expect(dialog.getByTestId('sweep-code')).toContainText("batch_size = hp.Int('batchSize', 32, 512, sampling='log')");
  await expect(dialog.getByTestId('sweep-code')).toContainText('kt.RandomSearch');
  await dialog.getByRole('textbox', { name: 'Highest value of setting 2' }).fill('16');
  await expect(dialog.getByTestId('sweep-problems')).toHaveText('batch size: min 32 is above max 16');
  await dialog.getByRole('spinbutton', { name: 'Runs at most' }).fill('0');
  await expect(dialog.getByTestId('sweep-problems')).toHaveText('the most runs must be a whole number from 1 to 500');
});

test('a sweep started from the designer trains its runs one after another and shows them in the training view', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`${url().split('#')[0]}#designer`);
  await page.getByTestId('preset-select').selectOption('seed-mlp');
  await page.getByTestId('design-name').fill('Dialog MLP');
  await page.getByTestId('tab-settings').click();
  await page.getByTestId('field-epochs').fill('1');
  await page.getByTestId('field-train-limit').fill('500');
  await page.getByTestId('field-test-limit').fill('200');
  await page.getByTestId('sweep-design').click();
  const dialog = page.getByTestId('sweep-dialog');
  await dialog.getByRole('textbox', { name: 'Values of setting 1' }).fill('0.001, 0.003');
  await dialog.getByRole('textbox', { name: 'Minutes at most' }).fill('-1');
  await expect(dialog.getByTestId('sweep-problems')).toHaveText('the time budget must be more than 0 and at most 43200 minutes, or empty for none');
  await dialog.getByRole('textbox', { name: 'Minutes at most' }).fill('30');
  await dialog.getByTestId('sweep-start').click();
  await expect(page).toHaveURL(/#training$/);
  const results = page.getByTestId('sweep-results').filter({ hasText: 'Sweep: Dialog MLP sweep' });
  await expect(results.getByTestId('sweep-state')).toHaveText('done: 2 of 2 runs trained', { timeout: 150_000 });
  await expect(results.getByTestId('sweep-row')).toHaveCount(2);
  await expect(page.getByTestId('history-row').filter({ hasText: 'Dialog MLP sweep: learningRate=' })).toHaveCount(2);
});

test('the Sweep dialog gives its refusals in Korean, the setting named in Korean', async ({ page }) => {
  await page.addInitScript("localStorage.setItem('mnist-lab.language', 'ko')");
  await page.goto(`${url().split('#')[0]}#designer`);
  await page.getByTestId('sweep-design').click();
  const dialog = page.getByTestId('sweep-dialog');
  await dialog.getByRole('textbox', { name: '설정 1의 값' }).fill('0.001, 5');
  await expect(dialog.getByTestId('sweep-problems')).toHaveText('학습률 5은(는) 0.000001–1 범위를 벗어납니다');
  await dialog.getByRole('combobox', { name: '설정 1', exact: true }).selectOption('optimizer');
  await dialog.getByRole('textbox', { name: '설정 1의 값' }).fill('adam, adamw');
  await expect(dialog.getByTestId('sweep-problems')).toHaveText('옵티마이저은(는) adam, sgd, rmsprop 중 하나입니다. adamw은(는) 쓸 수 없습니다');
});

test("a paused sweep's waiting runs are moved up and down its queue and cut from its table, and the queue file follows", async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mnist-lab-e2e-queue-'));
  const preset = findPreset('seed-mlp')!;
  const spec: SweepSpec = {
    name: 'Queue sweep',
    base: { name: 'queue', datasetId: 'mnist', presetId: preset.id, layers: preset.layers, settings: { ...preset.settings, epochs: 1 }, backend: 'wasm' },
    grid: [{ setting: 'batchSize', values: [100, 200, 300] }],
    random: null,
    maxRuns: 10,
    maxMinutes: null,
  };
  const plan = planSweep(spec);
  if (!plan.ok) throw new Error(plan.problems.map((p) => p.message).join('; '));
  // Paused before its first run, as a user leaves a sweep they mean to rearrange; nothing trains meanwhile.
  const queued: SweepSummary = {
    id: '20261203-090000-abcd',
    spec,
    createdAt: '2026-12-03T09:00:00.000Z',
    startedAt: null,
    state: 'paused',
    trials: plan.trials.map((settings) => ({ settings, status: 'pending', runId: null })),
  };
  const file = join(dataDir, 'sweeps', queued.id, 'sweep.json');
  mkdirSync(join(dataDir, 'sweeps', queued.id), { recursive: true });
  writeFileSync(file, JSON.stringify(queued));
  const lab = await startBrowserMode(dataDir);
  try {
    await page.goto(`${lab.url.split('#')[0]}#training`);
    const results = page.getByTestId('sweep-results').filter({ hasText: 'Sweep: Queue sweep' });
    await expect(results.getByTestId('sweep-state')).toHaveText('paused: 0 of 3 runs trained');
    const batchSizes = results.getByTestId('sweep-row').locator('td:nth-child(2)');
    await expect(batchSizes).toHaveText(['100', '200', '300']);
    await expect(results.getByRole('button', { name: 'Train run 1 earlier' })).toBeDisabled();
    await expect(results.getByRole('button', { name: 'Train run 3 later' })).toBeDisabled();
    await results.getByRole('button', { name: 'Train run 3 earlier' }).click();
    await expect(batchSizes).toHaveText(['100', '300', '200']);
    await results.getByRole('button', { name: 'Train run 1 later' }).click();
    await expect(batchSizes).toHaveText(['300', '100', '200']);
    const saved = () => (JSON.parse(readFileSync(file, 'utf8')) as SweepSummary).trials.map((t) => t.settings.batchSize);
    expect(saved()).toEqual([300, 100, 200]);
    await results.getByRole('button', { name: 'Cut the rest' }).click();
    await expect(results.getByTestId('sweep-row')).toHaveCount(0);
    expect(saved()).toEqual([]);
  } finally {
    lab.server.kill();
  }
});
