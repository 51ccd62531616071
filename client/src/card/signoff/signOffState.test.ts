import type { Card, Clearance } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { canClear, canWithdraw, ministrySignOffs, signOffProgress } from './signOffState.ts'

type SignOffCard = Pick<Card, 'leadMinistry' | 'contributingMinistries' | 'clearances' | 'status'>

function clearance(ministryId: string, current: boolean): Clearance {
  return {
    ministryId,
    userId: `u-${ministryId}`,
    name: `Person of ${ministryId}`,
    at: 1_700_000_000_000,
    current,
    versionId: `v-${ministryId}`,
  }
}

function card(overrides: Partial<SignOffCard> = {}): SignOffCard {
  return {
    leadMinistry: 'KEMNAKER',
    contributingMinistries: ['KP2MI', 'KEMLU'],
    clearances: [],
    status: 'in_review',
    ...overrides,
  }
}

describe('ministrySignOffs', () => {
  it('lists the lead first, then the contributing ministries, none cleared', () => {
    expect(ministrySignOffs(card())).toEqual([
      { ministryId: 'KEMNAKER', part: 'lead', state: 'missing', clearance: null },
      { ministryId: 'KP2MI', part: 'contributing', state: 'missing', clearance: null },
      { ministryId: 'KEMLU', part: 'contributing', state: 'missing', clearance: null },
    ])
  })

  it('tells a current clearance from one of an earlier text', () => {
    const states = ministrySignOffs(
      card({ clearances: [clearance('KEMNAKER', true), clearance('KEMLU', false)] }),
    )
    expect(states.map((entry) => entry.state)).toEqual(['cleared', 'missing', 'stale'])
    expect(states[2]?.clearance?.versionId).toBe('v-KEMLU')
  })

  it('ignores clearances of ministries no longer assigned, and a lead listed twice', () => {
    const states = ministrySignOffs(
      card({
        contributingMinistries: ['KEMNAKER', 'KP2MI'],
        clearances: [clearance('BAPPENAS', true)],
      }),
    )
    expect(states.map((entry) => entry.ministryId)).toEqual(['KEMNAKER', 'KP2MI'])
  })

  it('has nothing to clear on a card with no ministry', () => {
    expect(ministrySignOffs(card({ leadMinistry: '', contributingMinistries: [] }))).toEqual([])
  })
})

describe('signOffProgress', () => {
  it('counts current clearances of assigned ministries only', () => {
    expect(
      signOffProgress(
        card({
          clearances: [
            clearance('KEMNAKER', true),
            clearance('KP2MI', false),
            clearance('BAPPENAS', true),
          ],
        }),
      ),
    ).toEqual({ cleared: 1, total: 3 })
  })
})

describe('canClear', () => {
  const editor = { role: 'editor', ministryId: 'KP2MI' } as const

  it('lets a person of an assigned ministry clear while its clearance is missing or stale', () => {
    expect(canClear(card(), editor)).toBe(true)
    expect(canClear(card({ clearances: [clearance('KP2MI', false)] }), editor)).toBe(true)
    expect(canClear(card({ clearances: [clearance('KP2MI', true)] }), editor)).toBe(false)
  })

  it('refuses other ministries, roles that do not work on the text, and a final card', () => {
    expect(canClear(card(), { role: 'editor', ministryId: 'BAPPENAS' })).toBe(false)
    expect(canClear(card(), { role: 'commenter', ministryId: 'KP2MI' })).toBe(false)
    expect(canClear(card(), { role: 'viewer', ministryId: 'KP2MI' })).toBe(false)
    expect(canClear(card(), { role: 'suggester', ministryId: 'KP2MI' })).toBe(true)
    expect(canClear(card(), { role: 'chair', ministryId: 'KEMNAKER' })).toBe(true)
    expect(canClear(card({ status: 'final' }), editor)).toBe(false)
  })
})

describe('canWithdraw', () => {
  const cleared = card({ clearances: [clearance('KP2MI', true), clearance('KEMLU', false)] })

  it("lets a person withdraw their own ministry's clearance, current or stale", () => {
    expect(canWithdraw(cleared, { role: 'suggester', ministryId: 'KP2MI' }, 'KP2MI')).toBe(true)
    expect(canWithdraw(cleared, { role: 'editor', ministryId: 'KEMLU' }, 'KEMLU')).toBe(true)
    expect(canWithdraw(cleared, { role: 'editor', ministryId: 'KP2MI' }, 'KEMLU')).toBe(false)
    expect(canWithdraw(cleared, { role: 'viewer', ministryId: 'KP2MI' }, 'KP2MI')).toBe(false)
  })

  it("lets the chair withdraw any ministry's clearance, but only one that exists", () => {
    const chair = { role: 'chair', ministryId: 'KEMLU' } as const
    expect(canWithdraw(cleared, chair, 'KP2MI')).toBe(true)
    expect(canWithdraw(cleared, chair, 'KEMNAKER')).toBe(false)
  })

  it('withdraws nothing on a final card', () => {
    const final = { ...cleared, status: 'final' as const }
    expect(canWithdraw(final, { role: 'chair', ministryId: 'KEMLU' }, 'KP2MI')).toBe(false)
  })
})
