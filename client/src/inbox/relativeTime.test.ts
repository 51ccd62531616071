import { describe, expect, it } from 'vitest'
import { relativeTime } from './relativeTime.ts'

const now = Date.UTC(2026, 11, 8, 10, 0)
const MINUTE = 60_000

describe('relativeTime', () => {
  it('says how long ago in the reader’s language', () => {
    expect(relativeTime(now - 5 * MINUTE, now, 'en')).toBe('5 minutes ago')
    expect(relativeTime(now - 5 * MINUTE, now, 'id')).toBe('5 menit yang lalu')
    expect(relativeTime(now - 3 * 60 * MINUTE, now, 'en')).toBe('3 hours ago')
    expect(relativeTime(now - 24 * 60 * MINUTE, now, 'en')).toBe('yesterday')
  })

  it('says now for the last minute, and for a moment a little ahead of the clock', () => {
    expect(relativeTime(now - 10_000, now, 'en')).toBe('now')
    expect(relativeTime(now + 5_000, now, 'en')).toBe('now')
  })

  it('gives the date after a week', () => {
    expect(relativeTime(now - 8 * 24 * 60 * MINUTE, now, 'en')).toMatch(/^30 Nov/)
  })
})
