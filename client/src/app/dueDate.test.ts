import { describe, expect, it } from 'vitest'
import {
  daysUntil,
  dueStanding,
  dueUrgency,
  formatDay,
  formatDueDate,
  localDay,
} from './dueDate.ts'

describe('dueUrgency', () => {
  const today = '2026-12-05'

  it('says past, today, soon (within DUE_SOON_DAYS) or later', () => {
    expect(dueUrgency('2026-12-04', today, false)).toBe('overdue')
    expect(dueUrgency('2026-12-05', today, false)).toBe('today')
    expect(dueUrgency('2026-12-08', today, false)).toBe('soon')
    expect(dueUrgency('2026-12-09', today, false)).toBe('later')
  })

  it('says nothing for no date, a malformed one, or a card whose answer is in', () => {
    expect(dueUrgency(null, today, false)).toBeNull()
    expect(dueUrgency('8 Dec', today, false)).toBeNull()
    expect(dueUrgency('2026-12-01', today, true)).toBeNull()
  })

  it('counts days across months and years', () => {
    expect(daysUntil('2027-01-02', '2026-12-31')).toBe(2)
    expect(daysUntil('2026-03-01', '2026-02-28')).toBe(1)
  })
})

describe('dueStanding', () => {
  it('counts whole days to the due day', () => {
    expect(dueStanding('2025-05-12', '2025-05-12')).toEqual({ kind: 'today' })
    expect(dueStanding('2025-05-13', '2025-05-12')).toEqual({ kind: 'upcoming', days: 1 })
    expect(dueStanding('2025-06-01', '2025-05-12')).toEqual({ kind: 'upcoming', days: 20 })
  })

  it('counts the days a card is overdue', () => {
    expect(dueStanding('2025-05-11', '2025-05-12')).toEqual({ kind: 'overdue', days: 1 })
    expect(dueStanding('2024-12-31', '2025-01-02')).toEqual({ kind: 'overdue', days: 2 })
  })

  it('counts calendar days across a month end and a leap day', () => {
    expect(dueStanding('2025-04-01', '2025-03-30')).toEqual({ kind: 'upcoming', days: 2 })
    expect(dueStanding('2024-03-01', '2024-02-28')).toEqual({ kind: 'upcoming', days: 2 })
  })

  it('reads no day it cannot', () => {
    expect(dueStanding('2025-02-30', '2025-02-01')).toBeNull()
    expect(dueStanding('soon', '2025-02-01')).toBeNull()
  })
})

describe('formatting a due day', () => {
  it('writes the day in the reader’s language, whatever the time zone', () => {
    expect(formatDay('2025-05-12', 'en')).toBe('12 May 2025')
    expect(formatDay('2025-05-12', 'id')).toBe('12 Mei 2025')
  })

  it('leaves the year out when it is this year’s', () => {
    expect(formatDueDate('2026-12-08', 'id', '2026-12-05')).toBe('8 Des')
    expect(formatDueDate('2026-12-08', 'en', '2026-12-05')).toBe('8 Dec')
    expect(formatDueDate('2027-01-08', 'en', '2026-12-05')).toBe('8 Jan 2027')
  })
})

describe('localDay', () => {
  it('is the browser’s calendar day', () => {
    expect(localDay(new Date(2026, 11, 8, 23, 59))).toBe('2026-12-08')
    expect(localDay(new Date(2026, 0, 1, 0, 0))).toBe('2026-01-01')
  })
})
