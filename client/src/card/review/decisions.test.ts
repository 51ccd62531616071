import type { Ministry } from '@kartu/protocol'
import { AUTHORS_FIELD } from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { decisionEntries, decisionsArray, readDecision, readDecisions } from './decisions.ts'
import type { SuggestionView } from './suggestions.ts'

const ministries: Ministry[] = [
  { id: 'KP2MI', short: 'KP2MI', nameId: 'K', nameEn: 'K', aliases: [], color: '#b34700' },
]

const replacement: SuggestionView = {
  id: 'r1',
  shape: 'replace',
  kind: 'replace',
  inserted: '52%',
  deleted: '45%',
  from: 3,
  to: 9,
  spans: [],
  createdAt: 1,
  author: { userId: 'u-b', name: 'Budi', ministryId: 'KP2MI' },
  mine: false,
  hasMeta: true,
  text: '',
  format: null,
}
const unknown: SuggestionView = {
  ...replacement,
  id: 'i2',
  shape: 'insert',
  kind: 'insert',
  author: null,
}

describe('decisionEntries', () => {
  it('records the text, the kind and the suggester as resolved now', () => {
    const entries = decisionEntries(
      { accept: [replacement], reject: [unknown], rejectOutcome: 'rejected', reason: '  ditunda ' },
      ministries,
      500,
    )
    expect(entries).toEqual([
      {
        suggestionId: 'r1',
        kind: 'replace',
        outcome: 'accepted',
        text: '45% → 52%',
        suggestedBy: 'Budi · KP2MI',
        reason: 'ditunda',
        at: 500,
      },
      {
        suggestionId: 'i2',
        kind: 'insert',
        outcome: 'rejected',
        text: '52%',
        suggestedBy: null,
        reason: 'ditunda',
        at: 500,
      },
    ])
  })

  it('records a withdrawal as withdrawn', () => {
    const [entry] = decisionEntries(
      { accept: [], reject: [unknown], rejectOutcome: 'withdrawn', reason: '' },
      ministries,
      1,
    )
    expect(entry?.outcome).toBe('withdrawn')
  })
})

describe('readDecisions', () => {
  it('names the decider from the clientID of the log entry, never from its fields', () => {
    const chairDoc = new Y.Doc()
    const doc = new Y.Doc()
    decisionsArray(chairDoc).push([
      {
        suggestionId: 's',
        kind: 'insert',
        outcome: 'accepted',
        text: 'x',
        suggestedBy: null,
        reason: '',
        at: 2,
        decidedBy: 'forged',
      },
      { garbage: true },
    ])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(chairDoc))
    doc.getMap(AUTHORS_FIELD).set(String(chairDoc.clientID), {
      userId: 'u-chair',
      name: 'Ratna',
      ministryId: 'KEMENKO_POLKAM',
    })
    const me = { userId: 'u-me', name: 'Me', ministryId: 'KEMLU' }
    const [decision, ...rest] = readDecisions(doc, me)
    expect(rest).toEqual([])
    expect(decision?.decidedBy?.name).toBe('Ratna')
    expect(decision).not.toHaveProperty('decidedBy', 'forged')
    expect(readDecision({ suggestionId: 's', kind: 'insert', outcome: 'maybe', at: 1 })).toBeNull()
  })
})

describe('readDecisions attribution', () => {
  it('names the suggester from the server’s authors map, not from the record’s own text', () => {
    const doc = new Y.Doc()
    const author = new Y.Doc()
    author.clientID = 501
    author.getMap('suggestions').set('s1', { kind: 'insert', createdAt: 1 })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(author))
    doc.getMap(AUTHORS_FIELD).set('501', { userId: 'u-true', name: 'Asli', ministryId: 'KP2MI' })
    doc.transact(() => {
      doc.getMap('suggestions').delete('s1')
      decisionsArray(doc).push([
        {
          suggestionId: 's1',
          kind: 'insert',
          outcome: 'accepted',
          text: 'x',
          suggestedBy: 'Palsu · KEMENKO_POLKAM',
          reason: '',
          at: 2,
        },
      ])
    })
    const me = { userId: 'u-me', name: 'Saya', ministryId: 'KEMLU' }
    const [view] = readDecisions(doc, me)
    expect(view?.suggestedByAuthor).toEqual({ userId: 'u-true', name: 'Asli', ministryId: 'KP2MI' })
  })
})
