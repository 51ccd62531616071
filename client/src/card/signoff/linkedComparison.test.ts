import type { Clearance } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { linkedComparison } from './linkedComparison.ts'
import type { MinistrySignOff } from './signOffState.ts'

const clearance = (ministryId: string, versionId: string, current: boolean): Clearance => ({
  ministryId,
  userId: `u-${ministryId}`,
  name: ministryId,
  at: 1,
  current,
  versionId,
})

const entry = (ministryId: string, held: Clearance | null): MinistrySignOff => ({
  ministryId,
  part: 'contributing',
  state: held === null ? 'missing' : held.current ? 'cleared' : 'stale',
  clearance: held,
})

describe('linkedComparison', () => {
  it('opens nothing without a link', () => {
    expect(linkedComparison([entry('KEMLU', clearance('KEMLU', 'v1', false))], null, 'KEMLU')).toBe(
      null,
    )
  })

  it('opens the row whose stale clearance holds the version', () => {
    const entries = [
      entry('KP2MI', clearance('KP2MI', 'v2', false)),
      entry('KEMLU', clearance('KEMLU', 'v1', false)),
    ]
    expect(linkedComparison(entries, 'v1', 'KP2MI')).toEqual({
      kind: 'clearance',
      ministryId: 'KEMLU',
    })
  })

  it("prefers the person's own ministry when several cleared that text", () => {
    const entries = [
      entry('KP2MI', clearance('KP2MI', 'v1', false)),
      entry('KEMLU', clearance('KEMLU', 'v1', false)),
    ]
    expect(linkedComparison(entries, 'v1', 'KEMLU')).toEqual({
      kind: 'clearance',
      ministryId: 'KEMLU',
    })
    expect(linkedComparison(entries, 'v1', 'BP2MI')).toEqual({
      kind: 'clearance',
      ministryId: 'KP2MI',
    })
  })

  it('compares the version on its own once no stale clearance holds it', () => {
    // Cleared again since: the clearance holds a newer version.
    const again = [entry('KEMLU', clearance('KEMLU', 'v3', false))]
    expect(linkedComparison(again, 'v1', 'KEMLU')).toEqual({ kind: 'version', versionId: 'v1' })
    // Withdrawn, or never assigned.
    expect(linkedComparison([entry('KEMLU', null)], 'v1', 'KEMLU')).toEqual({
      kind: 'version',
      versionId: 'v1',
    })
    expect(linkedComparison([], 'v1', 'KEMLU')).toEqual({ kind: 'version', versionId: 'v1' })
  })

  it('compares on its own when the clearance holding the version is current again', () => {
    const current = [entry('KEMLU', clearance('KEMLU', 'v1', true))]
    expect(linkedComparison(current, 'v1', 'KEMLU')).toEqual({ kind: 'version', versionId: 'v1' })
  })
})
