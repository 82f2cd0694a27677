import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DICTIONARIES } from './dictionaries';

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'rapport.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Before sign-in the language is the browser's choice (or the visitor's last pick); after, the user's stored locale wins. */
export function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage can be disabled; the browser language still works
  }
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

/** Switches the UI language and remembers it for the sign-in pages of this browser. */
export async function applyLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered; the user's profile still carries it after sign-in
  }
  document.documentElement.lang = language;
  if (i18next.language !== language) await i18next.changeLanguage(language);
}

/** The Intl locale for dates and numbers in a UI language. */
export function intlLocale(language: string): string {
  return language === 'ru' ? 'ru-RU' : 'en-US';
}

export function initI18n(): typeof i18next {
  const lng = initialLanguage();
  document.documentElement.lang = lng;
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: DICTIONARIES.en }, ru: { translation: DICTIONARIES.ru } },
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    // React escapes output itself.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  return i18next;
}
