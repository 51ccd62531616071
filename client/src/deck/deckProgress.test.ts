import type { Card, Clearance } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { deckProgress, isClearedByAll } from './deckProgress.ts'

const clearance = (ministryId: string, current = true): Clearance => ({
  ministryId,
  userId: `u-${ministryId}`,
  name: ministryId,
  at: 1,
  current,
  versionId: 'v1',
})

const card = (
  lead: string,
  contributing: string[],
  clearances: Clearance[],
  status: Card['status'] = 'in_review',
) => ({ leadMinistry: lead, contributingMinistries: contributing, clearances, status })

describe('isClearedByAll', () => {
  it('counts a card every assigned ministry has cleared', () => {
    expect(isClearedByAll(card('KEMLU', ['KP2MI'], [clearance('KEMLU'), clearance('KP2MI')]))).toBe(
      true,
    )
  })

  it('does not count a missing or stale clearance', () => {
    expect(isClearedByAll(card('KEMLU', ['KP2MI'], [clearance('KEMLU')]))).toBe(false)
    expect(
      isClearedByAll(card('KEMLU', ['KP2MI'], [clearance('KEMLU'), clearance('KP2MI', false)])),
    ).toBe(false)
  })

  it('does not count a card nobody is assigned to, unless it is final', () => {
    expect(isClearedByAll(card('', [], []))).toBe(false)
    expect(isClearedByAll(card('', [], [], 'final'))).toBe(true)
  })

  it('counts a final card even with a clearance missing (the chair overrode)', () => {
    expect(isClearedByAll(card('KEMLU', ['KP2MI'], [clearance('KEMLU')], 'final'))).toBe(true)
  })
})

describe('deckProgress', () => {
  it('counts the cleared cards of the deck', () => {
    expect(
      deckProgress([
        card('KEMLU', [], [clearance('KEMLU')]),
        card('KEMLU', [], []),
        card('KP2MI', [], [], 'final'),
      ]),
    ).toEqual({ cleared: 2, total: 3 })
    expect(deckProgress([])).toEqual({ cleared: 0, total: 0 })
  })
})
