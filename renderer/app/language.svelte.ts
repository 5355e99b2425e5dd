import { createContext } from 'svelte';
import { languages, preferredLanguage, translate, type Language, type MessageKey } from '../lib/i18n/messages';

const storageKey = 'mnist-lab.language';

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
  t = (key: MessageKey, params?: Record<string, string | number>): string => translate(this.current, key, params);
}

export const [getLanguage, setLanguage] = createContext<LanguageSetting>();
