import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { apiErrorReasons } from '../../shared/apiErrorReasons';
import { designProblemReasons } from '../../shared/layers/designProblems';
import { analyzeStack } from '../../shared/layers/inferShapes';
import { presets } from '../../shared/layers/presets';
import { designMessage } from '../../renderer/lib/i18n/designMessage';
import { catalogueKeys, isMessageKey, languages, markMissingTranslations, translate } from '../../renderer/lib/i18n/messages';
import { describeError } from '../../renderer/lib/i18n/userMessage';
import { apiFailure } from '../../shared/apiErrorReasons';
import { englishWords } from '../englishWords';
import { svelteLiterals } from './svelteLiterals';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const svelteFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'renderer/*.svelte'], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

describe('the interface language', () => {
  it('has every message in both languages, with the same parameters', () => {
    const english = catalogueKeys('en');
    expect(english.length).toBeGreaterThan(400);
    for (const language of languages) expect(catalogueKeys(language).sort()).toEqual([...english].sort());
    for (const key of english) {
      if (!isMessageKey(key)) throw new Error(key);
      const [en, ko] = [translate('en', key), translate('ko', key)];
      expect(ko.trim(), key).not.toBe('');
      expect(placeholders(ko), key).toEqual(placeholders(en));
    }
  });

  it('writes the Korean catalogue in Korean: no message is English words alone', () => {
    const untranslated = catalogueKeys('ko').filter(
      (key) => isMessageKey(key) && englishWords(translate('ko', key).replace(/\{\w+\}/g, '')).length > 0 && !/[가-힣]/.test(translate('ko', key)),
    );
    expect(untranslated).toEqual([]);
  });

  it('finds no user-visible literal in a component outside the catalogue', () => {
    expect(svelteFiles.length).toBeGreaterThan(50);
    expect(svelteFiles.flatMap(svelteLiterals)).toEqual([]);
  });

  it('catches a literal when one is written into a component', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempDir } = await import('./tempDir');
    const file = join(tempDir('literal'), 'Example.svelte');
    writeFileSync(
      file,
      '<script lang="ts">let x = 1;</script>\n<p title="Press to go">{x} images</p>\n<code>npm start</code> <kbd>Ctrl+Z</kbd> <span>Conv2D</span>\n<style>p { color: red; }</style>\n',
    );
    expect(svelteLiterals(file).map((l) => l.text)).toEqual(['Press to go', 'images', 'npm start']);
  });

  it('falls back to the other language for a missing key, marked in development', () => {
    const missing = 'no.such.key' as Parameters<typeof translate>[1];
    expect(translate('ko', missing)).toBe('no.such.key');
    expect(translate('ko', 'view.lesson', { unused: 1 })).toBe('강의');
    markMissingTranslations(true);
    try {
      expect(translate('ko', missing)).toBe('⟦no.such.key⟧');
    } finally {
      markMissingTranslations(false);
    }
  });

  it('names every preset in both languages', () => {
    for (const preset of presets) {
      for (const key of [`preset.${preset.id}`, `preset.${preset.id}.about`]) {
        expect(isMessageKey(key), key).toBe(true);
      }
    }
  });

  it("words the API's errors in Korean from their reason, and the server's English from the same template", () => {
    const error = apiFailure('conflict', 'training.busy', { name: 'Seed CNN' });
    expect(error.message).toBe('"Seed CNN" is training; stop it before starting another run');
    const message = describeError(error);
    expect(translate('ko', message.key, message.params)).toBe('"Seed CNN"이(가) 학습 중입니다. 다른 실행을 시작하려면 먼저 멈추세요.');
    for (const key of Object.keys(apiErrorReasons)) expect(isMessageKey(`api.${key}`), key).toBe(true);
    // An error without a reason (a local failure) is shown as its own words, inside the context's sentence.
    const local = describeError(new Error('bad PNG'), { key: 'error.pictureUnreadable', params: { name: 'a.png' } });
    expect(translate('ko', local.key, local.params)).toBe('a.png을(를) 그림으로 읽을 수 없습니다: bad PNG');
  });

  it("words the designer's problems in Korean, nested reasons included", () => {
    for (const key of Object.keys(designProblemReasons)) expect(isMessageKey(`design.${key}`), key).toBe(true);
    const analysis = analyzeStack([
      { type: 'input', shape: [28, 28, 1] },
      { type: 'flatten' },
      { type: 'conv2d', filters: 8, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ]);
    if (analysis.ok) throw new Error('the stack should not build');
    const problem = analysis.problems[0]!;
    expect(problem.message).toBe('Conv2D needs an image-shaped input, but Flatten before it produced a vector of 784');
    const message = designMessage(problem.reason);
    expect(translate('en', message.key, message.params)).toBe(problem.message);
    expect(translate('ko', message.key, message.params)).toBe(
      'Conv2D에는 이미지 모양의 입력이 필요한데, 앞의 Flatten이(가) 길이 784의 벡터을(를) 내놓았습니다',
    );
  });
});
