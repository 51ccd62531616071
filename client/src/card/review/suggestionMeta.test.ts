import { AUTHORS_FIELD, getAnswerSchema, MarkName } from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  applyMetaPlan,
  isEmptyPlan,
  type MetaEntries,
  metaEntries,
  planSuggestionMeta,
  readSuggestionMeta,
  suggestionKinds,
  suggestionsMap,
} from './suggestionMeta.ts'

const schema = getAnswerSchema()

type Piece = string | [text: string, mark: 'ins' | 'del', id: string]

function answer(...pieces: Piece[]): PMNode {
  const nodes = pieces.map((piece) => {
    if (typeof piece === 'string') return schema.text(piece)
    const [text, mark, id] = piece
    const type = schema.marks[mark === 'ins' ? MarkName.Insertion : MarkName.Deletion]
    if (!type) throw new Error('mark missing')
    return schema.text(text, [type.create({ id })])
  })
  return schema.node('doc', null, [schema.node('paragraph', null, nodes)])
}

function entries(existing: Record<string, boolean>): MetaEntries {
  return {
    has: (id) => id in existing,
    isOwn: (id) => existing[id] === true,
  }
}

describe('suggestionKinds', () => {
  it('lists suggestion ids with what each does, in document order', () => {
    const doc = answer(['old', 'del', 'r1'], ['new', 'ins', 'r1'], ' and ', ['more', 'ins', 's2'])
    expect([...suggestionKinds(doc)]).toEqual([
      ['r1', 'replace'],
      ['s2', 'insert'],
    ])
  })
})

describe('planSuggestionMeta', () => {
  it('adds an entry for a suggestion this change introduced', () => {
    const before = answer('Kami ', 'bekerja')
    const after = answer('Kami ', ['terus ', 'ins', 'n1'], 'bekerja')
    expect(planSuggestionMeta(before, after, entries({}), 1000)).toEqual({
      add: [['n1', { kind: 'insert', createdAt: 1000 }]],
      remove: [],
    })
  })

  it('does not write an entry that exists, nor one for marks that were already there', () => {
    const before = answer(['abc', 'ins', 'old'])
    const after = answer(['abcd', 'ins', 'old'], ['x', 'del', 'known'])
    // `old` has no entry (another client's entry is still on its way): not ours to write.
    expect(isEmptyPlan(planSuggestionMeta(before, after, entries({ known: false }), 1))).toBe(true)
  })

  it('removes our entry when our own insertion is deleted', () => {
    const before = answer('A ', ['typo', 'ins', 'mine'], ' B')
    const after = answer('A  B')
    expect(planSuggestionMeta(before, after, entries({ mine: true }), 1)).toEqual({
      add: [],
      remove: ['mine'],
    })
  })

  it("never removes someone else's entry", () => {
    const before = answer('A ', ['theirs', 'ins', 'other'], ' B')
    const after = answer('A  B')
    expect(isEmptyPlan(planSuggestionMeta(before, after, entries({ other: false }), 1))).toBe(true)
  })

  it('does nothing for a change that leaves the document equal', () => {
    const doc = answer(['x', 'ins', 'a'])
    expect(isEmptyPlan(planSuggestionMeta(doc, answer(['x', 'ins', 'a']), entries({}), 1))).toBe(
      true,
    )
  })
})

describe('metaEntries and applyMetaPlan', () => {
  it('writes entries under our clientID and knows them as ours', () => {
    const doc = new Y.Doc()
    applyMetaPlan(doc, { add: [['n1', { kind: 'insert', createdAt: 5 }]], remove: [] })
    const known = metaEntries(doc, 'u-me')
    expect(known.has('n1')).toBe(true)
    expect(known.isOwn('n1')).toBe(true)
    expect(readSuggestionMeta(suggestionsMap(doc).get('n1'))).toEqual({
      kind: 'insert',
      createdAt: 5,
    })
    applyMetaPlan(doc, { add: [], remove: ['n1'] })
    expect(known.has('n1')).toBe(false)
  })

  it("does not count another client's entry as ours", () => {
    const other = new Y.Doc()
    other.getMap('suggestions').set('s', { kind: 'delete', createdAt: 1 })
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other))
    expect(metaEntries(doc, 'u-me').isOwn('s')).toBe(false)
    doc.getMap(AUTHORS_FIELD).set(String(other.clientID), {
      userId: 'u-me',
      name: 'Me on another device',
      ministryId: 'KEMLU',
    })
    expect(metaEntries(doc, 'u-me').isOwn('s')).toBe(true)
  })

  it('reads only well-formed entries', () => {
    expect(readSuggestionMeta({ kind: 'rewrite', createdAt: 1 })).toBeNull()
    expect(readSuggestionMeta({ kind: 'format', createdAt: 1 })).toEqual({
      kind: 'format',
      createdAt: 1,
    })
    expect(readSuggestionMeta({ kind: 'insert' })).toBeNull()
    expect(readSuggestionMeta(null)).toBeNull()
  })
})
