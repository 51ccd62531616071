/**
 * "5 menit yang lalu" / "5 minutes ago": when an inbox item came, said relative to now for the
 * last week, then as a date.
 */
import { formatTime } from '../app/formatTime.ts'
import type { Language } from '../i18n/i18n.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const formats = new Map<Language, Intl.RelativeTimeFormat>()

function relativeFormat(language: Language): Intl.RelativeTimeFormat {
  let format = formats.get(language)
  if (!format) {
    format = new Intl.RelativeTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
      numeric: 'auto',
    })
    formats.set(language, format)
  }
  return format
}

export function relativeTime(at: number, now: number, language: Language): string {
  // A clock a little ahead of the server's makes a new item a few seconds "in the future".
  const ago = Math.max(0, now - at)
  const format = relativeFormat(language)
  if (ago < MINUTE) return format.format(0, 'second')
  if (ago < HOUR) return format.format(-Math.floor(ago / MINUTE), 'minute')
  if (ago < DAY) return format.format(-Math.floor(ago / HOUR), 'hour')
  if (ago < 7 * DAY) return format.format(-Math.floor(ago / DAY), 'day')
  return formatTime(at, language)
}
