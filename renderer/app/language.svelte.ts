import { createContext } from 'svelte';
import {
  countMessage,
  formatDateTime,
  formatNumber,
  languages,
  markMissingTranslations,
  preferredLanguage,
  translate,
  type CountKey,
  type Language,
  type MessageKey,
  type MessageParams,
} from '../lib/i18n/messages';
import type { UserMessage } from '../lib/i18n/userMessage';

const storageKey = 'mnist-lab.language';

// A development build shows a missing translation on screen, marked, instead of quietly using the other language.
markMissingTranslations(import.meta.env.DEV);

/** The app's language: the operating system's, until the user picks one with the switch (remembered). */
export class LanguageSetting {
  current = $state<Language>('en');

  constructor() {
    const saved = localStorage.getItem(storageKey);
    this.current = saved && (languages as readonly string[]).includes(saved) ? (saved as Language) : preferredLanguage(navigator.languages);
  }

  choose(language: Language): void {
    this.current = language;
    localStorage.setItem(storageKey, language);
  }

  /** A message of the catalogue in the current language, its {name}s filled in from `params`. */
  t = (key: MessageKey, params?: MessageParams): string => translate(this.current, key, params);

  /** A message a state class keeps (an error, a notice), worded now. */
  say = (message: UserMessage): string => translate(this.current, message.key, message.params);

  /** A count with its noun, singular for exactly one where the language has a singular. */
  count = (key: CountKey, count: number): string => countMessage(this.current, key, count);

  /** A number as the current language writes it. */
  number = (value: number, options?: Intl.NumberFormatOptions): string => formatNumber(this.current, value, options);

  /** A date and time as the current language writes it. */
  date = (date: Date): string => formatDateTime(this.current, date);
}

export const [getLanguage, setLanguage] = createContext<LanguageSetting>();
