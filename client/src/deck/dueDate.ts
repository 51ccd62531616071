/**
 * A card's due date, a calendar day (YYYY-MM-DD), against today. Today is the browser's own day:
 * the delegation's ministries work in Indonesia's time zones, and a day's difference at midnight
 * only moves a warning colour; the server's `due_soon` filter and inbox items use its own zone.
 */
import { DUE_SOON_DAYS } from '@kartu/protocol'
import type { Language } from '../i18n/i18n.ts'

export type DueState = 'overdue' | 'today' | 'soon' | 'later'

/** The day of a moment in the browser's zone, as YYYY-MM-DD. */
export function localDay(moment: Date): string {
  const year = String(moment.getFullYear()).padStart(4, '0')
  const month = String(moment.getMonth() + 1).padStart(2, '0')
  const day = String(moment.getDate()).padStart(2, '0')
  return `${year}-${month}-${day}`
}

function dayNumber(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!match) return null
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000
}

/** Whole days from `today` to `dueDate` (negative: past), or null for a malformed date. */
export function daysUntil(dueDate: string, today: string): number | null {
  const due = dayNumber(dueDate)
  const now = dayNumber(today)
  return due === null || now === null ? null : due - now
}

/**
 * Where a due date stands: past, today, within DUE_SOON_DAYS, or later. A final card is past
 * its deadline's concern: null, as for a card with no due date.
 */
export function dueState(dueDate: string | null, today: string, final: boolean): DueState | null {
  if (dueDate === null || final) return null
  const days = daysUntil(dueDate, today)
  if (days === null) return null
  if (days < 0) return 'overdue'
  if (days === 0) return 'today'
  return days <= DUE_SOON_DAYS ? 'soon' : 'later'
}

const formats = new Map<string, Intl.DateTimeFormat>()

/**
 * "8 Des" / "8 Dec"; with the year when it is not today's ("8 Des 2027"). The date is a calendar
 * day, so it is formatted in UTC, where Date.UTC put it, never shifted by the browser's zone.
 */
export function formatDueDate(dueDate: string, language: Language, today: string): string {
  const day = dayNumber(dueDate)
  if (day === null) return dueDate
  const withYear = dueDate.slice(0, 4) !== today.slice(0, 4)
  const key = `${language}:${withYear}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    })
    formats.set(key, format)
  }
  return format.format(new Date(day * 86_400_000))
}
