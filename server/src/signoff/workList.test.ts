import type { Card } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { card } from '../briefing/docxFixtures.ts'
import { filterCards, listParameter, type WorkListContext, workListContext } from './workList.ts'

const context: WorkListContext = workListContext({
  ministryId: 'KEMLU',
  changedSinceVisit: new Set(['c-changed']),
  timeZone: 'Asia/Jakarta',
  // 5 December 2026, 10:00 in Jakarta.
  now: Date.UTC(2026, 11, 5, 3),
})

const clearance = (ministryId: string, current: boolean) => ({
  ministryId,
  userId: `u-${ministryId}`,
  name: ministryId,
  at: 1,
  current,
  versionId: 'v',
})

const cards: Card[] = [
  card({ id: 'c-lead', ref: 'A', leadMinistry: 'KEMLU', contributingMinistries: [] }),
  card({
    id: 'c-cleared',
    ref: 'B',
    leadMinistry: 'KP2MI',
    contributingMinistries: ['KEMLU'],
    clearances: [clearance('KEMLU', true)],
  }),
  card({
    id: 'c-stale',
    ref: 'C',
    leadMinistry: 'KP2MI',
    contributingMinistries: ['KEMLU'],
    clearances: [clearance('KEMLU', false)],
    dueDate: '2026-12-08',
  }),
  card({
    id: 'c-changed',
    ref: 'D',
    leadMinistry: 'KP2MI',
    contributingMinistries: [],
    cluster: 'K2',
  }),
  card({
    id: 'c-mention',
    ref: 'E',
    leadMinistry: 'KP2MI',
    contributingMinistries: [],
    mentionedMinistries: ['KEMLU'],
    openThreads: 1,
    dueDate: '2026-12-09',
  }),
  card({
    id: 'c-final',
    ref: 'F',
    leadMinistry: 'KEMLU',
    contributingMinistries: [],
    status: 'final',
    dueDate: '2026-12-01',
  }),
]

const refs = (query: Partial<Parameters<typeof filterCards>[1]>) =>
  filterCards(cards, { filters: [], statuses: [], clusters: [], ...query }, context).map(
    (c) => c.ref,
  )

describe('the work list', () => {
  it('keeps every card without a filter', () => {
    expect(refs({})).toEqual(['A', 'B', 'C', 'D', 'E', 'F'])
  })

  it('filters by the person’s ministry and what waits for its clearance', () => {
    expect(refs({ filters: ['mine'] })).toEqual(['A', 'B', 'C', 'F'])
    // A stale clearance waits again; a final card waits for no one.
    expect(refs({ filters: ['waiting'] })).toEqual(['A', 'C'])
  })

  it('filters by mentions, changes since the last visit, open threads and due dates', () => {
    expect(refs({ filters: ['mentions'] })).toEqual(['E'])
    expect(refs({ filters: ['changed'] })).toEqual(['D'])
    expect(refs({ filters: ['open'] })).toEqual(['E'])
    // Due by 8 December (three days from the 5th): C; the 9th is later; final cards are done.
    expect(refs({ filters: ['due_soon'] })).toEqual(['C'])
  })

  it('combines filters, statuses and clusters (all must hold)', () => {
    expect(refs({ filters: ['mine', 'waiting'], statuses: ['in_review'] })).toEqual(['A', 'C'])
    expect(refs({ statuses: ['final'] })).toEqual(['F'])
    expect(refs({ clusters: ['K2'] })).toEqual(['D'])
    expect(refs({ filters: ['mine'], clusters: ['K2'] })).toEqual([])
  })

  it('reads comma-separated parameters', () => {
    expect(listParameter(' draft, final ,,')).toEqual(['draft', 'final'])
    expect(listParameter(undefined)).toEqual([])
  })
})
