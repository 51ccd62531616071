import { describe, expect, it } from 'vitest'
import { planDecision, planWithdrawal, suggestionsByMinistry } from './bulk.ts'
import type { SuggestionGroup, SuggestionView } from './suggestions.ts'

function suggestion(id: string, ministryId: string | null): SuggestionView {
  return {
    id,
    shape: 'insert',
    kind: 'insert',
    inserted: id,
    deleted: '',
    from: 0,
    to: 1,
    spans: [],
    createdAt: 1,
    author: ministryId ? { userId: `u-${ministryId}`, name: ministryId, ministryId } : null,
    mine: false,
    hasMeta: true,
    text: '',
    format: null,
  }
}

const a = suggestion('a', 'KEMLU')
const b1 = suggestion('b1', 'KP2MI')
const b2 = suggestion('b2', 'KEMNAKER')
const c = suggestion('c', 'KP2MI')
const groups: SuggestionGroup[] = [
  { key: 'a', suggestions: [a] },
  { key: 'b1', suggestions: [b1, b2] },
  { key: 'c', suggestions: [c] },
]
const ids = (list: readonly SuggestionView[]) => list.map((entry) => entry.id)

describe('planDecision', () => {
  it('accepting one alternative rejects the others with it', () => {
    const plan = planDecision(groups, (s) => s === b2, true, 'sesuai data')
    expect(ids(plan.accept)).toEqual(['b2'])
    expect(ids(plan.reject)).toEqual(['b1'])
    expect(plan.rejectOutcome).toBe('rejected')
    expect(plan.reason).toBe('sesuai data')
  })

  it('rejecting one alternative leaves the others pending', () => {
    const plan = planDecision(groups, (s) => s === b1, false, '')
    expect(ids(plan.accept)).toEqual([])
    expect(ids(plan.reject)).toEqual(['b1'])
  })

  it('accepts all of one ministry, settling alternatives it wins', () => {
    const plan = planDecision(groups, (s) => s.author?.ministryId === 'KP2MI', true, '')
    expect(ids(plan.accept)).toEqual(['b1', 'c'])
    expect(ids(plan.reject)).toEqual(['b2'])
    expect(plan.skipped).toEqual([])
  })

  it('accept all leaves competing alternatives to be decided one by one', () => {
    const plan = planDecision(groups, () => true, true, '')
    expect(ids(plan.accept)).toEqual(['a', 'c'])
    expect(ids(plan.reject)).toEqual([])
    expect(ids(plan.skipped)).toEqual(['b1', 'b2'])
  })

  it('reject all rejects everything', () => {
    expect(ids(planDecision(groups, () => true, false, '').reject)).toEqual(['a', 'b1', 'b2', 'c'])
  })
})

describe('planWithdrawal', () => {
  it('is a rejection recorded as withdrawn', () => {
    expect(planWithdrawal(c)).toEqual({
      accept: [],
      reject: [c],
      rejectOutcome: 'withdrawn',
      reason: '',
    })
  })
})

describe('suggestionsByMinistry', () => {
  it('counts pending suggestions per known author ministry', () => {
    expect([...suggestionsByMinistry([a, b1, c, suggestion('x', null)])]).toEqual([
      ['KEMLU', 1],
      ['KP2MI', 2],
    ])
  })
})
