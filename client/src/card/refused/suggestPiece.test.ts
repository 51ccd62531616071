import { asIfAllRejected, collectSuggestions, getAnswerSchema, SUGGESTED_META } from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { suggestPiece } from './suggestPiece.ts'

const schema = getAnswerSchema()
const paragraph = (text: string): PMNode =>
  schema.node('paragraph', null, text ? [schema.text(text)] : [])
const stateOf = (...blocks: PMNode[]): EditorState =>
  EditorState.create({ schema, doc: schema.node('doc', null, blocks) })

const options = {
  newId: () => 'd7c1f0a4-0000-4000-8000-000000000001',
  isOwnSuggestion: () => false,
}

describe('suggestPiece', () => {
  it('proposes the refused text where it was, as one insertion, leaving the answer as it was', () => {
    const state = stateOf(paragraph('Satu dua.'))
    const tr = suggestPiece(state, 6, 'ditolak ', options)
    expect(tr).not.toBeNull()
    const after = tr?.doc as PMNode
    expect(after.textContent).toBe('Satu ditolak dua.')
    expect(collectSuggestions(after).map((span) => [span.id, span.kind])).toEqual([
      [options.newId(), 'insert'],
    ])
    // As if every suggestion were rejected: unchanged, as the server checks for a suggester.
    expect(asIfAllRejected(after).eq(asIfAllRejected(state.doc))).toBe(true)
    // The engine's own transaction: suggesting mode lets it through as it is.
    expect(tr?.getMeta(SUGGESTED_META)).toBe(true)
  })

  it('proposes a refused paragraph between blocks as a new paragraph', () => {
    const state = stateOf(paragraph('Satu.'), paragraph('Dua.'))
    const between = state.doc.child(0).nodeSize
    const tr = suggestPiece(state, between, 'Paragraf baru.', options)
    const after = tr?.doc as PMNode
    expect(after.childCount).toBe(3)
    expect(after.child(1).textContent).toContain('Paragraf baru.')
    expect(asIfAllRejected(after).eq(asIfAllRejected(state.doc))).toBe(true)
  })
})
