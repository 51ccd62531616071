import type { InboxItem } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { inboxLabel, inboxQuote, type LabelFormatters } from './inboxLabel.ts'

const format: LabelFormatters = {
  ministry: (id) => (id === 'KEMNAKER' ? 'Kemnaker' : id),
  person: (person) => `${person.name} (${person.ministryId})`,
  day: (date) => `day ${date}`,
  nobody: 'Kartu',
}

const budi = { userId: 'u1', name: 'Budi', ministryId: 'KEMLU' }

const item = (
  kind: InboxItem['kind'],
  details: InboxItem['details'] = {},
  actor: InboxItem['actor'] = budi,
) => ({ kind, cardRef: 'CC-03', actor, details })

describe('inboxLabel', () => {
  it('names the ministry mentioned and who mentioned it', () => {
    expect(inboxLabel(item('mention', { ministry: 'KEMNAKER' }), format)).toEqual({
      key: 'mentionMinistry',
      values: { ref: 'CC-03', actor: 'Budi (KEMLU)', ministry: 'Kemnaker' },
      namesActor: true,
    })
    expect(inboxLabel(item('mention', { ministry: null }), format).key).toBe('mentionYou')
  })

  it('says the outcome of a decision on one’s suggestion', () => {
    expect(inboxLabel(item('decision', { outcome: 'accepted' }), format).key).toBe(
      'decisionAccepted',
    )
    expect(inboxLabel(item('decision', { outcome: 'rejected' }), format).key).toBe(
      'decisionRejected',
    )
    expect(inboxLabel(item('decision', { outcome: 'withdrawn' }), format).key).toBe(
      'decisionWithdrawn',
    )
    expect(inboxLabel(item('decision', { outcome: 7 }), format).key).toBe('decision')
  })

  it('gives the due date formatted, or says it is near without one', () => {
    expect(inboxLabel(item('due_soon', { dueDate: '2026-12-08' }, null), format)).toEqual({
      key: 'dueSoon',
      values: { ref: 'CC-03', date: 'day 2026-12-08' },
      namesActor: false,
    })
    expect(inboxLabel(item('due_soon', {}, null), format).key).toBe('dueSoonNoDate')
  })

  it('has a sentence for every other kind, the card’s ref in it', () => {
    for (const kind of ['reply', 'clearance_stale', 'assigned'] as const) {
      const label = inboxLabel(item(kind), format)
      expect(label.values.ref).toBe('CC-03')
      expect(label.namesActor).toBe(false)
    }
  })
})

describe('inboxQuote', () => {
  it('quotes a comment’s words, else the text, never a blank', () => {
    expect(inboxQuote({ details: { excerpt: 'Mohon data 2024', text: 'x' } })).toBe(
      'Mohon data 2024',
    )
    expect(inboxQuote({ details: { excerpt: ' ', text: 'tambahan kata' } })).toBe('tambahan kata')
    expect(inboxQuote({ details: {} })).toBeNull()
  })
})
