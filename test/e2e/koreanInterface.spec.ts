import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { englishWords } from '../englishWords';
import { textOutsideCode } from './visibleText';
import { trainWithCli } from './cliTraining';
import { startBrowserMode } from './serverProcess';

const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

/** The page in Korean from its first paint, as on a machine whose system language is Korean. */
async function inKorean(page: Page): Promise<void> {
  await page.addInitScript("localStorage.setItem('mnist-lab.language', 'ko')");
}

/** Every piece of text a user sees in the app's frame and view, less code (Keras lines, commands, paths). */
async function visibleWords(page: Page): Promise<string[]> {
  return englishWords(await page.evaluate<string>(textOutsideCode('.shell')));
}

test('in Korean every view speaks Korean: no English words but names', async ({ page }) => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'mnist-lab-e2e-korean-'));
  // A run with a Korean name, so the views have a run to show (its name is the user's, not the app's).
  const runId = trainWithCli(dataDir, { preset: 'seed-cnn', name: '연습용 CNN', limit: 1000, testLimit: 200, epochs: 1 });
  const lab = await startBrowserMode(dataDir);
  try {
    await inKorean(page);
    const base = lab.url.split('#')[0];
    const views: [string, string, () => Promise<void>][] = [
      ['lesson', '#lesson', () => expect(page.getByTestId('lesson-split-counts')).toBeVisible()],
      ['dataset', '#dataset', () => expect(page.getByTestId('image-count')).toHaveText('이미지 60,000장')],
      ['designer', '#designer', () => expect(page.getByTestId('designer-totals')).toHaveText('파라미터 1,199,882개')],
      ['training', `#training`, () => expect(page.getByTestId('run-result')).toContainText('테스트 정확도')],
      ['inspector', `#inspector?run=${runId}`, () => expect(page.getByTestId('inspector-accuracy')).toContainText('정답')],
      ['sketchpad', `#sketchpad?run=${runId}`, () => expect(page.getByTestId('sketch-run')).toBeVisible()],
    ];
    for (const [name, hash, ready] of views) {
      await page.goto(`${base}${hash}`);
      await ready();
      await page.evaluate('document.fonts.ready');
      expect(await visibleWords(page), `the ${name} view`).toEqual([]);
    }
    // The designer's other panels and a card's settings too.
    await page.goto(`${base}#designer`);
    for (const tab of ['tab-summary', 'tab-settings']) {
      await page.getByTestId(tab).click();
      expect(await visibleWords(page), tab).toEqual([]);
    }
    await page.getByTestId('layer-card').nth(1).click();
    await page.getByRole('tab', { name: '레이어' }).click();
    expect(await visibleWords(page), 'the layer editor').toEqual([]);
    await page.evaluate('document.fonts.ready');
    await page.screenshot({ path: `${shots}/korean-designer.png` });
    // Why each backend is or is not in use, too (names, packages and paths inside stay as they are).
    await page.getByTestId('backend-badge').click();
    const reasons = page.getByTestId('backend-candidate-reason');
    await expect(reasons).toHaveCount(5);
    for (const reason of await reasons.all()) await expect(reason).toHaveText(/[가-힣]/);
    await expect(reasons.first()).toContainText('@tensorflow/tfjs-node-gpu');
    await page.getByTestId('backend-badge').click();
    // An error is worded in Korean too, around the detail it carries.
    await page.goto(`${base}#sketchpad`);
    await page.getByTestId('sketch-file').setInputFiles({ name: 'not-a-picture.png', mimeType: 'image/png', buffer: Buffer.from('not a png') });
    await expect(page.getByRole('alert')).toContainText('not-a-picture.png을(를) 그림으로 읽을 수 없습니다');
  } finally {
    lab.server.kill();
  }
});

test('Hangul renders as Hangul on a machine without a Korean font, from the bundled one', async ({ page }) => {
  await inKorean(page);
  await page.goto(`${process.env.LAB_URL!}#dataset`);
  await expect(page.getByTestId('image-count')).toHaveText('이미지 60,000장');
  // Three private-use characters: no font has them, so they draw as the missing-glyph box.
  const widths = await page.evaluate<{ hangul: number; boxes: number; bundled: boolean }>(`(async () => {
    await document.fonts.load('14px "Noto Sans KR"', '한국어');
    const measure = (text) => {
      const span = document.createElement('span');
      span.textContent = text;
      document.querySelector('header').append(span);
      const width = span.getBoundingClientRect().width;
      span.remove();
      return width;
    };
    return { hangul: measure('한국어'), boxes: measure('\\u{E000}\\u{E001}\\u{E002}'), bundled: document.fonts.check('14px "Noto Sans KR"', '한국어') };
  })()`);
  expect(widths.bundled).toBe(true);
  // Hangul syllables are nearly square, about an em each (three are ~39 px at 14 px); the fallback's boxes are not.
  expect(widths.hangul, JSON.stringify(widths)).toBeGreaterThan(35);
  expect(Math.abs(widths.hangul - widths.boxes)).toBeGreaterThan(5);
  const option = page.getByRole('combobox', { name: '언어' });
  await expect(option).toHaveValue('ko');
});
