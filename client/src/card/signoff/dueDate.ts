/**
 * A card's due date (a calendar day, YYYY-MM-DD, in the delegation's time zone) against today:
 * counted in whole days, so that the hour of the day never changes "due tomorrow".
 */
import type { Language } from '../../i18n/i18n.ts'

export type DueState =
  | { kind: 'overdue'; days: number }
  | { kind: 'today' }
  | { kind: 'upcoming'; days: number }

const DAY_MS = 24 * 60 * 60 * 1000

/** A calendar day as a UTC midnight, or null when it is not a real YYYY-MM-DD day. */
function dayNumber(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!match) return null
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const ms = Date.UTC(year, month - 1, date)
  const back = new Date(ms)
  // 2025-02-30 rolls over to March: not a day.
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) return null
  return ms / DAY_MS
}

/** Today as the browser's calendar shows it (the delegation works in its own time zone). */
export function localToday(now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** How the due day stands against today; null for a day that cannot be read. */
export function dueState(dueDate: string, today: string): DueState | null {
  const due = dayNumber(dueDate)
  const now = dayNumber(today)
  if (due === null || now === null) return null
  const days = due - now
  if (days < 0) return { kind: 'overdue', days: -days }
  if (days === 0) return { kind: 'today' }
  return { kind: 'upcoming', days }
}

const formats = new Map<Language, Intl.DateTimeFormat>()

/** "12 Mei 2025" / "12 May 2025": a due day, the same day whatever the browser's time zone. */
export function formatDay(day: string, language: Language): string {
  const number = dayNumber(day)
  if (number === null) return day
  let format = formats.get(language)
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    })
    formats.set(language, format)
  }
  return format.format(new Date(number * DAY_MS))
}
