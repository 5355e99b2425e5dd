import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

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
  await expect(dialog.getByTestId('sweep-problems')).toHaveText('learningRate 5 is outside 0.000001–1');
  await expect(dialog.getByTestId('sweep-start')).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Values of setting 1' }).fill('0.001, 0.003');
  await dialog.getByTestId('sweep-show-code').click();
  await expect(dialog.getByTestId('sweep-code')).toContainText("learning_rate = hp.Choice('learningRate', [0.001, 0.003])");
  await expect(dialog.getByTestId('sweep-code')).toContainText("batch_size = hp.Choice('batchSize', [100, 200, 300])");
  await expect(dialog.getByTestId('sweep-start')).toBeEnabled();
});
