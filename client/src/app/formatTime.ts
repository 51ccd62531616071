import type { Language } from '../i18n/i18n.ts'

const formats = new Map<Language, Intl.DateTimeFormat>()

/** "27 Nov 14.05" / "27 Nov, 14:05": when something in a card happened. */
export function formatTime(ms: number, language: Language): string {
  let format = formats.get(language)
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    })
    formats.set(language, format)
  }
  return format.format(new Date(ms))
}

const clocks = new Map<Language, Intl.DateTimeFormat>()

/** "14.05.30" / "14:05:30": a moment later today, to the second (when something may be retried). */
export function formatClock(ms: number, language: Language): string {
  let format = clocks.get(language)
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    clocks.set(language, format)
  }
  return format.format(new Date(ms))
}
