import { describe, expect, it } from 'vitest'
import { KEEP_ALL_MS, KEEP_HOURLY_MS, versionsToThin } from './retention.ts'

const HOUR = 3_600_000
const now = Date.UTC(2026, 11, 6, 12)

/** An automatic version every `stepMs` from `fromAge` to `toAge` before now. */
function autos(prefix: string, fromAge: number, toAge: number, stepMs: number) {
  const out: Array<{ id: string; kind: 'auto'; createdAt: number }> = []
  for (let age = fromAge; age < toAge; age += stepMs) {
    out.push({ id: `${prefix}${age}`, kind: 'auto', createdAt: now - age })
  }
  return out
}

describe('versionsToThin', () => {
  it('keeps every version of the last week, one per hour for a month, then one per day', () => {
    // Every 15 minutes for 40 days.
    const versions = autos('a', 0, 40 * 24 * HOUR, 15 * 60_000)
    const thinned = new Set(versionsToThin(versions, now, new Set()))
    const kept = versions.filter((v) => !thinned.has(v.id))
    const ageOf = (v: { createdAt: number }) => now - v.createdAt
    expect(kept.filter((v) => ageOf(v) < KEEP_ALL_MS)).toHaveLength(7 * 24 * 4)
    const hourly = kept.filter((v) => ageOf(v) >= KEEP_ALL_MS && ageOf(v) < KEEP_HOURLY_MS)
    // 23 days of hours (the hour at exactly a week old is one more bucket).
    expect(hourly.length).toBeGreaterThanOrEqual(23 * 24)
    expect(hourly.length).toBeLessThanOrEqual(23 * 24 + 1)
    const hours = hourly.map((v) => Math.floor(v.createdAt / HOUR))
    expect(new Set(hours).size).toBe(hours.length)
    const daily = kept.filter((v) => ageOf(v) >= KEEP_HOURLY_MS)
    const days = daily.map((v) => Math.floor(v.createdAt / (24 * HOUR)))
    expect(new Set(days).size).toBe(days.length)
    expect(daily.length).toBeGreaterThanOrEqual(10)
    expect(daily.length).toBeLessThanOrEqual(11)
    // The one kept of each hour is its newest (the text at the end of that hour).
    for (const version of hourly) {
      const sameHour = versions.filter(
        (v) =>
          ageOf(v) >= KEEP_ALL_MS &&
          Math.floor(v.createdAt / HOUR) === Math.floor(version.createdAt / HOUR),
      )
      expect(Math.max(...sameHour.map((v) => v.createdAt))).toBe(version.createdAt)
    }
  })

  it('never thins named, session or restore versions, nor one a visit points to', () => {
    const old = now - 60 * 24 * HOUR
    const versions = [
      { id: 'named', kind: 'named' as const, createdAt: old },
      { id: 'session', kind: 'session' as const, createdAt: old + 1 },
      { id: 'restore', kind: 'restore' as const, createdAt: old + 2 },
      { id: 'visited', kind: 'auto' as const, createdAt: old + 3 },
      { id: 'newest-auto', kind: 'auto' as const, createdAt: old + 4 },
      { id: 'older-auto', kind: 'auto' as const, createdAt: old + 5 - 10 },
    ]
    expect(versionsToThin(versions, now, new Set(['visited']))).toEqual(['older-auto'])
  })
})
