import { apiErrorReasons } from '../../../shared/apiErrorReasons';
import { backendReasons } from '../../../shared/backendReasons';
import { fillTemplate } from '../../../shared/fillTemplate';
import { designProblemReasons } from '../../../shared/layers/designProblems';
import { sweepProblemReasons } from '../../../shared/sweeps/sweepProblems';
import { apiKo } from './catalogue/api';
import { appEn, appKo } from './catalogue/app';
import { backendReasonsKo } from './catalogue/backendReasons';
import { datasetEn, datasetKo } from './catalogue/dataset';
import { designerEn, designerKo } from './catalogue/designer';
import { designerChromeEn, designerChromeKo } from './catalogue/designerChrome';
import { designProblemsKo } from './catalogue/designProblems';
import { inspectorEn, inspectorKo } from './catalogue/inspector';
import { lessonEn, lessonKo } from './catalogue/lesson';
import { sketchpadEn, sketchpadKo } from './catalogue/sketchpad';
import { sweepProblemsKo } from './catalogue/sweepProblems';
import { trainingEn, trainingKo } from './catalogue/training';

/** The languages the app speaks: English, and Korean for the seed tutorial's readers. */
export const languages = ['en', 'ko'] as const;
export type Language = (typeof languages)[number];
export const languageNames: Record<Language, string> = { en: 'English', ko: '한국어' };
/** The BCP 47 tag each language formats numbers and dates with. */
export const localeTags: Record<Language, string> = { en: 'en-US', ko: 'ko-KR' };

/** A table of shared/'s English templates as catalogue messages, each key under `prefix.`. */
function underPrefix<P extends string, T extends Record<string, string>>(prefix: P, table: T): { [K in keyof T & string as `${P}.${K}`]: string } {
  return Object.fromEntries(Object.entries(table).map(([key, text]) => [`${prefix}.${key}`, text])) as { [K in keyof T & string as `${P}.${K}`]: string };
}

/** The API's error reasons, the designer's and the sweep plan's problems, the backends' reasons, worded as the server and the CLI word them. */
const apiEn = underPrefix('api', apiErrorReasons);
const designEn = underPrefix('design', designProblemReasons);
const sweepProblemEn = underPrefix('sweepProblem', sweepProblemReasons);
const backendReasonEn = underPrefix('backendReason', backendReasons);

const en = {
  ...appEn,
  ...datasetEn,
  ...designerEn,
  ...designerChromeEn,
  ...trainingEn,
  ...inspectorEn,
  ...sketchpadEn,
  ...lessonEn,
  ...apiEn,
  ...designEn,
  ...sweepProblemEn,
  ...backendReasonEn,
};

export type MessageKey = keyof typeof en;
/** A message's parameters: text, a number, or another message (worded in the same language). */
export type MessageParams = { [name: string]: string | number | { key: MessageKey; params?: MessageParams } | undefined };

const ko: Record<MessageKey, string> = {
  ...appKo,
  ...datasetKo,
  ...designerKo,
  ...designerChromeKo,
  ...trainingKo,
  ...inspectorKo,
  ...sketchpadKo,
  ...lessonKo,
  ...apiKo,
  ...designProblemsKo,
  ...sweepProblemsKo,
  ...backendReasonsKo,
};

const catalogue: Record<Language, Partial<Record<MessageKey, string>>> = { en, ko };

/** Every key of a language's catalogue, for the test that finds a key missing in either language. */
export function catalogueKeys(language: Language): string[] {
  return Object.keys(catalogue[language]);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** Set by a development build, so a missing translation shows on screen instead of passing for English. */
let markMissing = false;
export function markMissingTranslations(mark: boolean): void {
  markMissing = mark;
}

/**
 * A message in a language, its {name}s replaced by `params`. A key missing in the language falls back to the other
 * language's text (marked ⟦…⟧ in development, where someone can still add it).
 */
export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
  let message = catalogue[language][key];
  if (message === undefined) {
    const other = languages.find((l) => l !== language && catalogue[l][key] !== undefined);
    message = other ? catalogue[other][key]! : key;
    if (markMissing) message = `⟦${message}⟧`;
  }
  return fillTemplate(message, (name) => {
    const value = params[name];
    return typeof value === 'object' ? translate(language, value.key, value.params) : value === undefined ? undefined : String(value);
  });
}

/** The keys of counted nouns; each has a `.one` form for exactly one, where the language makes one. */
export type CountKey = 'count.images' | 'count.digits' | 'count.mistakes' | 'count.parameters' | 'count.lastSketches';

/** A count with its noun: "1 image", "2,000 images", "이미지 2,000장". */
export function countMessage(language: Language, key: CountKey, count: number): string {
  return translate(language, count === 1 ? `${key}.one` : key, { count: formatNumber(language, count) });
}

/** A number as the language writes it: 60,000 and 0.25 (English and Korean agree on both). */
export function formatNumber(language: Language, value: number, options?: Intl.NumberFormatOptions): string {
  return value.toLocaleString(localeTags[language], options);
}

/** A moment as the language writes dates: "Dec 2, 2026, 10:41 AM" or "2026. 12. 2. 오전 10:41". */
export function formatDateTime(language: Language, date: Date): string {
  return date.toLocaleString(localeTags[language], { dateStyle: 'medium', timeStyle: 'short' });
}

/** The language the operating system (the browser's language list) prefers, of those the app speaks. */
export function preferredLanguage(systemLanguages: readonly string[]): Language {
  for (const tag of systemLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if ((languages as readonly string[]).includes(base ?? '')) return base as Language;
  }
  return 'en';
}
