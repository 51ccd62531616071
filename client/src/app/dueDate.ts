/**
 * A card's due date: a calendar day (YYYY-MM-DD), counted against today in whole days, so that
 * the hour never changes "due tomorrow". Today is the browser's own day: the delegation's
 * ministries work in Indonesia's time zones, and a day's difference at midnight only moves a
 * warning colour; the server's `due_soon` filter and inbox items use the server's zone.
 */
import { DUE_SOON_DAYS } from '@kartu/protocol'
import type { Language } from '../i18n/i18n.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/** A calendar day as days since 1970 (UTC), or null when it is not a real YYYY-MM-DD day. */
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

/** The day of a moment in the browser's zone, as YYYY-MM-DD. */
export function localDay(moment: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${String(moment.getFullYear()).padStart(4, '0')}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`
}

/** Whole days from `today` to `dueDate` (negative: past), or null for a day that cannot be read. */
export function daysUntil(dueDate: string, today: string): number | null {
  const due = dayNumber(dueDate)
  const now = dayNumber(today)
  return due === null || now === null ? null : due - now
}

/** How urgent a due date is on the dashboard: past, today, within DUE_SOON_DAYS, or later. */
export type DueUrgency = 'overdue' | 'today' | 'soon' | 'later'

/** Null for no due date, one that cannot be read, or a final card (its deadline is no concern). */
export function dueUrgency(
  dueDate: string | null,
  today: string,
  final: boolean,
): DueUrgency | null {
  if (dueDate === null || final) return null
  const days = daysUntil(dueDate, today)
  if (days === null) return null
  if (days < 0) return 'overdue'
  if (days === 0) return 'today'
  return days <= DUE_SOON_DAYS ? 'soon' : 'later'
}

/** Where a due day stands, with the days counted (the sign-off section says how many). */
export type DueStanding =
  | { kind: 'overdue'; days: number }
  | { kind: 'today' }
  | { kind: 'upcoming'; days: number }

export function dueStanding(dueDate: string, today: string): DueStanding | null {
  const days = daysUntil(dueDate, today)
  if (days === null) return null
  if (days < 0) return { kind: 'overdue', days: -days }
  if (days === 0) return { kind: 'today' }
  return { kind: 'upcoming', days }
}

const formats = new Map<string, Intl.DateTimeFormat>()

function dayFormat(language: Language, withYear: boolean): Intl.DateTimeFormat {
  const key = `${language}:${withYear}`
  let format = formats.get(key)
  if (!format) {
    // The day is a calendar day: formatted in UTC, where Date.UTC put it, never shifted by the
    // browser's zone.
    format = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    })
    formats.set(key, format)
  }
  return format
}

/** "12 Mei 2025" / "12 May 2025". */
export function formatDay(day: string, language: Language): string {
  const number = dayNumber(day)
  return number === null ? day : dayFormat(language, true).format(new Date(number * DAY_MS))
}

/** "8 Des" / "8 Dec"; with the year when it is not today's ("8 Des 2027"). */
export function formatDueDate(dueDate: string, language: Language, today: string): string {
  const number = dayNumber(dueDate)
  if (number === null) return dueDate
  const withYear = dueDate.slice(0, 4) !== today.slice(0, 4)
  return dayFormat(language, withYear).format(new Date(number * DAY_MS))
}
