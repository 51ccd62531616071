import { useTranslation } from 'react-i18next'
import { isLanguage, type Language } from './i18n.ts'

/** The interface language, re-rendering on a switch. */
export function useLanguage(): Language {
  const { i18n } = useTranslation()
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'id'
}
