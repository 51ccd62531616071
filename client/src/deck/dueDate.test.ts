import { describe, expect, it } from 'vitest'
import { daysUntil, dueState, formatDueDate, localDay } from './dueDate.ts'

describe('dueState', () => {
  const today = '2026-12-05'

  it('says past, today, soon (within DUE_SOON_DAYS) or later', () => {
    expect(dueState('2026-12-04', today, false)).toBe('overdue')
    expect(dueState('2026-12-05', today, false)).toBe('today')
    expect(dueState('2026-12-08', today, false)).toBe('soon')
    expect(dueState('2026-12-09', today, false)).toBe('later')
  })

  it('says nothing for no date, a malformed one, or a card whose answer is in', () => {
    expect(dueState(null, today, false)).toBeNull()
    expect(dueState('8 Dec', today, false)).toBeNull()
    expect(dueState('2026-12-01', today, true)).toBeNull()
  })

  it('counts days across months and years', () => {
    expect(daysUntil('2027-01-02', '2026-12-31')).toBe(2)
    expect(daysUntil('2026-03-01', '2026-02-28')).toBe(1)
  })
})

describe('formatDueDate', () => {
  it('writes the day and month in the reader’s language, the year when not this year', () => {
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
