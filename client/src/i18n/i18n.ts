/**
 * i18next set up for Kartu: Bahasa Indonesia first, English second; the choice is kept in
 * localStorage and mirrored on <html lang>.
 */
import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { en } from './en.ts'
import { id, type Resources } from './id.ts'

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: { translation: Resources }
  }
}

export const languages = ['id', 'en'] as const
export type Language = (typeof languages)[number]

const storageKey = 'kartu:language'

export function isLanguage(value: unknown): value is Language {
  return value === 'id' || value === 'en'
}

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(storageKey)
    return isLanguage(value) ? value : 'id'
  } catch {
    return 'id'
  }
}

export function currentLanguage(): Language {
  return isLanguage(i18next.resolvedLanguage) ? i18next.resolvedLanguage : 'id'
}

export async function setLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(storageKey, language)
  } catch {
    // Not persisted (storage disabled); the switch still applies to this page.
  }
  await i18next.changeLanguage(language)
}

export function initI18n(): typeof i18next {
  i18next.on('languageChanged', (language) => {
    document.documentElement.lang = language
  })
  void i18next.use(initReactI18next).init({
    resources: { id: { translation: id }, en: { translation: en } },
    lng: storedLanguage(),
    fallbackLng: 'id',
    supportedLngs: [...languages],
    interpolation: { escapeValue: false },
    initAsync: false,
  })
  return i18next
}
