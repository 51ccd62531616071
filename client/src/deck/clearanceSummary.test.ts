import type { Clearance } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { clearanceSummary } from './clearanceSummary.ts'

const clearance = (ministryId: string, current: boolean): Clearance => ({
  ministryId,
  userId: 'u',
  name: 'Budi',
  at: 1,
  current,
  versionId: 'v',
})

describe('clearanceSummary', () => {
  it('counts current clearances of the assigned ministries and names the stale ones', () => {
    const summary = clearanceSummary({
      leadMinistry: 'KEMNAKER',
      contributingMinistries: ['KEMLU', 'KP2MI'],
      clearances: [clearance('KEMNAKER', true), clearance('KEMLU', false)],
    })
    expect(summary).toEqual({
      assigned: ['KEMNAKER', 'KEMLU', 'KP2MI'],
      cleared: 1,
      stale: ['KEMLU'],
      missing: ['KEMLU', 'KP2MI'],
    })
  })

  it('ignores the clearance of a ministry no longer assigned', () => {
    const summary = clearanceSummary({
      leadMinistry: 'KEMLU',
      contributingMinistries: [],
      clearances: [clearance('KP2MI', true), clearance('BPS', false)],
    })
    expect(summary.cleared).toBe(0)
    expect(summary.stale).toEqual([])
  })
})
