/**
 * Suggestion marks through Yjs, the way y-tiptap stores them: marks that do not exclude
 * themselves are kept under `name--hash(attrs)`, so the suggestions of several authors on the same
 * text all survive, also when they were made concurrently on different replicas.
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import {
  prosemirrorJSONToYXmlFragment,
  updateYFragment,
  yXmlFragmentToProseMirrorRootNode,
} from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ANSWER_FIELD } from '../cardLayout.ts'
import {
  acceptSuggestions,
  asIfAllRejected,
  collectSuggestions,
  rejectSuggestions,
} from './review.ts'
import {
  at,
  author,
  comment,
  del,
  doc,
  ins,
  p,
  schema,
  select,
  show,
  stateOf,
  suggest,
  t,
  typing,
} from './testing.ts'

function read(ydoc: Y.Doc): PMNode {
  return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ANSWER_FIELD), schema)
}

/** Writes `node` into the replica as the sync plugin would after a local transaction. */
function write(ydoc: Y.Doc, node: PMNode): void {
  const meta = { mapping: new Map(), isOMark: new Map() }
  ydoc.transact(() => {
    updateYFragment(ydoc, ydoc.getXmlFragment(ANSWER_FIELD), node, meta)
  })
}

function replicaOf(source: Y.Doc): Y.Doc {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(source))
  return replica
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b))
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))
  Y.applyUpdate(b, toB)
  Y.applyUpdate(a, toA)
}

describe('suggestion marks in Yjs', () => {
  it("keeps two authors' insertion marks (and more) on the same text through a round trip", () => {
    const node = doc(p('a ', t('shared', ins('a1'), ins('b1'), del('c1'), comment('t1')), ' text'))
    const ydoc = new Y.Doc()
    prosemirrorJSONToYXmlFragment(schema, node.toJSON(), ydoc.getXmlFragment(ANSWER_FIELD))
    const back = read(replicaOf(ydoc))
    expect(show(back)).toBe('a <+a1+b1-c1ct1:shared> text')
    expect(collectSuggestions(back).map((span) => `${span.kind} ${span.id}`)).toEqual([
      'delete c1',
      'insert a1',
      'insert b1',
    ])
  })

  // Concurrent edits merge in an order decided by the replicas' random client ids: try several.
  it.each(Array.from({ length: 12 }, (_, i) => i))(
    "merges two ministries' concurrent replacements of the same word: both survive (%i)",
    () => {
      const original = doc(p('Indonesia protects migrant workers.'))
      const server = new Y.Doc()
      prosemirrorJSONToYXmlFragment(schema, original.toJSON(), server.getXmlFragment(ANSWER_FIELD))
      const docA = replicaOf(server)
      const docB = replicaOf(server)

      // Offline, each replaces "protects" in their own replica.
      const edit = (ydoc: Y.Doc, words: string, who: ReturnType<typeof author>) => {
        let state = stateOf(read(ydoc))
        state = select(state, at(state.doc, 'protects'), at(state.doc, 'protects', true))
        state = suggest(state, typing(state, words), who)
        write(ydoc, state.doc)
      }
      edit(docA, 'safeguards', author('a'))
      edit(docB, 'defends', author('b'))

      exchange(docA, docB)
      exchange(docA, server)
      const merged = read(docA)
      expect(read(docB).eq(merged)).toBe(true)
      expect(read(server).eq(merged)).toBe(true)
      expect(show(merged)).toMatch(/<-a1-b1:protects>/)
      const inserted = collectSuggestions(merged)
        .filter((span) => span.kind === 'insert')
        .map((span) => `${span.id} ${span.text}`)
      expect(inserted.sort()).toEqual(['a1 safeguards', 'b1 defends'])
      // Yjs may extend a deletion's formatting over the other's insertion made at its edge at the
      // same time; deciding the alternatives together gives the chosen wording either way.
      const pick = (chosen: string, other: string) => {
        const state = stateOf(merged)
        const accepted = state.apply(acceptSuggestions(state, [chosen]))
        return accepted.apply(rejectSuggestions(accepted, [other])).doc.textContent
      }
      expect(pick('a1', 'b1')).toBe('Indonesia safeguards migrant workers.')
      expect(pick('b1', 'a1')).toBe('Indonesia defends migrant workers.')
      expect(asIfAllRejected(merged).eq(original)).toBe(true)
    },
  )
})
