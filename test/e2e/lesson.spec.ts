import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { englishWords } from '../englishWords';
import { textOutsideCode } from './visibleText';
import { startBrowserMode } from './serverProcess';

const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

const step = (page: Page) => page.getByTestId('lesson-step');

/** Page Down to the next step, by keyboard alone, and wait until it shows. */
async function nextStep(page: Page, id: string): Promise<void> {
  await page.keyboard.press('PageDown');
  await expect(step(page)).toHaveAttribute('data-step', id);
}

/** Tabs until the element with `testId` has the focus (a user's way to a button without a mouse). */
async function tabTo(page: Page, testId: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if ((await page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null")) === testId) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

/** The step's text, less its Keras lines: in Korean it must have no English words but names. */
async function englishInStep(page: Page): Promise<string[]> {
  return englishWords(await page.evaluate<string>(textOutsideCode('[data-testid=lesson-step]')));
}

async function shot(page: Page, name: string): Promise<void> {
  // Text new to the page may need a slice of the bundled Korean font that starts loading only as it is laid out.
  await page.evaluate('document.fonts.ready');
  await page.waitForTimeout(300);
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: `${shots}/${name}.png` });
}

for (const language of ['en', 'ko'] as const) {
  test(`the lesson, walked from step 1 to 9 by keyboard alone (${language}), trains the baseline in step 6`, async ({ page }) => {
    test.setTimeout(300_000);
    const lab = await startBrowserMode();
    const words = language === 'en' ? english : korean;
    try {
      await page.addInitScript(`localStorage.setItem('mnist-lab.language', '${language}')`);
      // A new user lands on the lesson.
      await page.goto(lab.url);
      await expect(step(page)).toHaveAttribute('data-step', 'mnist');
      await expect(page.getByTestId('lesson-split-counts')).toContainText(words.split);
      const check = async () => {
        if (language === 'ko') expect(await englishInStep(page), (await step(page).getAttribute('data-step')) ?? '').toEqual([]);
      };
      await check();
      await shot(page, `lesson-mnist-${language}`);

      await nextStep(page, 'pixels');
      // The first training digit's middle row, as stored and divided by 255.
      await expect(page.getByTestId('lesson-row-values')).toHaveText(/^0 0 .* 81 240 253 253 119 25 0/);
      await expect(page.getByTestId('lesson-row-normalised')).toContainText('0.32 0.94 0.99 0.99 0.47 0.10');
      await check();

      await nextStep(page, 'labels');
      // The first label is a 5: its one-hot row has its 1 in column 5.
      const firstRow = page.getByTestId('lesson-one-hot').locator('tbody tr').first();
      await expect(firstRow.locator('td')).toHaveText(['', '5', '0', '0', '0', '0', '0', '1', '0', '0', '0', '0']);
      await check();

      await nextStep(page, 'baseline');
      await expect(page.getByTestId('lesson-total-params')).toHaveText('407,050');
      await check();

      await nextStep(page, 'callbacks');
      await check();

      await nextStep(page, 'train');
      await tabTo(page, 'lesson-train-quick-baseline');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('lesson-test-accuracy-baseline')).toHaveText(words.accuracy, { timeout: 180_000 });
      const accuracy = Number(/(\d+\.\d+) %/.exec((await page.getByTestId('lesson-test-accuracy-baseline').textContent()) ?? '')?.[1]);
      // 6,000 images for 3 epochs already read nine test digits in ten.
      expect(accuracy).toBeGreaterThan(90);
      await expect.poll(() => page.getByTestId('lesson-chart-baseline').getAttribute('data-points').then(Number)).toBeGreaterThan(3);
      await check();
      await shot(page, `lesson-train-${language}`);

      await nextStep(page, 'plot');
      // The seed's plot: test-set loss and training error, one point per epoch of the run.
      await expect(page.getByTestId('lesson-seed-plot')).toHaveAttribute('data-points', '6');
      await check();
      await shot(page, `lesson-plot-${language}`);

      await nextStep(page, 'ideas');
      await expect(page.getByTestId('convolution-stepper')).toBeVisible();
      await check();
      await shot(page, `lesson-ideas-${language}`);
      // The seed CNN's receptive fields, computed by the designer's own receptiveField: 3, then 5, then 6 pixels across.
      await page.getByTestId('lesson-idea-receptiveField').click();
      await expect(page.getByTestId('lesson-field')).toHaveText([/3 × 3/, /5 × 5/, /6 × 6/]);

      await nextStep(page, 'cnn');
      await expect(page.getByTestId('lesson-total-params')).toHaveText('1,199,882');
      await expect(page.getByTestId('lesson-train-quick-cnn')).toBeEnabled();
      await check();

      // The lesson remembers where the learner is, and which steps they opened.
      await page.reload();
      await expect(step(page)).toHaveAttribute('data-step', 'cnn');
      await expect(page.getByTestId('lesson-goto-plot')).toContainText('✓');
      await page.keyboard.press('PageUp');
      await expect(step(page)).toHaveAttribute('data-step', 'ideas');
    } finally {
      lab.server.kill();
    }
  });
}

test('the CNN of step 9, trained quickly, leads to its mistakes and the sketchpad', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = await startBrowserMode();
  try {
    await page.goto(`${lab.url.split('#')[0]}#lesson`);
    await page.getByTestId('lesson-goto-cnn').click();
    await page.getByTestId('lesson-train-quick-cnn').click();
    await expect(page.getByTestId('lesson-test-accuracy-cnn')).toBeVisible({ timeout: 200_000 });
    await shot(page, 'lesson-cnn-en');
    await page.getByTestId('lesson-to-inspector').click();
    await expect(page.getByTestId('inspector-accuracy')).toContainText('of 10,000 right');
  } finally {
    lab.server.kill();
  }
});

test('a damaged lesson-progress file starts the lesson afresh, says so, and is kept', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mnist-lab-e2e-lesson-'));
  writeFileSync(join(dataDir, 'lesson-progress.json'), '{"version": 1, "step": "pix');
  const lab = await startBrowserMode(dataDir);
  try {
    await page.goto(lab.url);
    await expect(page.getByTestId('lesson-reset')).toContainText('could not be read');
    await expect(step(page)).toHaveAttribute('data-step', 'mnist');
    const keptAs = /kept as (\S+)\.$/.exec((await page.getByTestId('lesson-reset').textContent()) ?? '')?.[1];
    expect(readFileSync(keptAs!, 'utf8')).toBe('{"version": 1, "step": "pix');
    await nextStep(page, 'pixels');
    await page.reload();
    await expect(step(page)).toHaveAttribute('data-step', 'pixels');
    await expect(page.getByTestId('lesson-reset')).toHaveCount(0);
  } finally {
    lab.server.kill();
  }
});

const english = { split: '60,000 of them are for training, 10,000', accuracy: /^Test accuracy \d+\.\d\d %$/ };
const korean = { split: '그중 60,000장은 학습용이고, 10,000장은', accuracy: /^테스트 정확도 \d+\.\d\d %$/ };
