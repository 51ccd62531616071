import { describe, expect, it } from 'vitest'
import { dueState, formatDay, localToday } from './dueDate.ts'

describe('dueState', () => {
  it('counts whole days to the due day', () => {
    expect(dueState('2025-05-12', '2025-05-12')).toEqual({ kind: 'today' })
    expect(dueState('2025-05-13', '2025-05-12')).toEqual({ kind: 'upcoming', days: 1 })
    expect(dueState('2025-06-01', '2025-05-12')).toEqual({ kind: 'upcoming', days: 20 })
  })

  it('counts the days a card is overdue', () => {
    expect(dueState('2025-05-11', '2025-05-12')).toEqual({ kind: 'overdue', days: 1 })
    expect(dueState('2024-12-31', '2025-01-02')).toEqual({ kind: 'overdue', days: 2 })
  })

  it('counts calendar days across a month end and a leap day', () => {
    expect(dueState('2025-04-01', '2025-03-30')).toEqual({ kind: 'upcoming', days: 2 })
    expect(dueState('2024-03-01', '2024-02-28')).toEqual({ kind: 'upcoming', days: 2 })
  })

  it('reads no day it cannot', () => {
    expect(dueState('2025-02-30', '2025-02-01')).toBeNull()
    expect(dueState('soon', '2025-02-01')).toBeNull()
  })
})

describe('localToday', () => {
  it("gives the browser's calendar day", () => {
    expect(localToday(new Date(2025, 0, 5, 23, 59))).toBe('2025-01-05')
  })
})

describe('formatDay', () => {
  it('writes the day in the reader language, whatever the time zone', () => {
    expect(formatDay('2025-05-12', 'en')).toBe('12 May 2025')
    expect(formatDay('2025-05-12', 'id')).toBe('12 Mei 2025')
  })
})
