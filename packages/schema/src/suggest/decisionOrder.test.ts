/**
 * Deciding suggestions one at a time, in any order, ends where deciding them all together does:
 * the chair on the projector accepts them one by one, and the answer must be the one everybody
 * saw as "all accepted". The cases here are the ones where a decision removes a textblock that
 * another pending suggestion still refers to (a join into it, a deletion across its boundary).
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import type { EditorState } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { pick, random, randomEdit, startDoc } from './randomEdits.ts'
import {
  acceptSuggestions,
  asIfAllAccepted,
  asIfAllRejected,
  collectSuggestions,
  rejectSuggestions,
} from './review.ts'
import { suggestTransaction } from './suggestTransaction.ts'
import { type Author, author, del, doc, h2, type Inline, p, show, stateOf, t } from './testing.ts'

/** A paragraph suggested (by `id`) to join the textblock before it. */
function joining(id: string, ...parts: Inline[]): PMNode {
  const paragraph = p(...parts)
  return paragraph.type.create({ joinSuggestion: id }, paragraph.content)
}

type Decision = readonly ['accept' | 'reject', string]

function decideInTurn(state: EditorState, decisions: readonly Decision[]): EditorState {
  let now = state
  for (const [how, id] of decisions) {
    now = now.apply((how === 'accept' ? acceptSuggestions : rejectSuggestions)(now, [id]))
    now.doc.check()
  }
  return now
}

function decideTogether(state: EditorState, decisions: readonly Decision[]): PMNode {
  const accept = decisions.filter(([how]) => how === 'accept').map(([, id]) => id)
  const reject = decisions.filter(([how]) => how === 'reject').map(([, id]) => id)
  let now = state
  now = now.apply(rejectSuggestions(now, reject))
  now = now.apply(acceptSuggestions(now, accept))
  return now.doc
}

/** Every order of `decisions` gives `expected`, as deciding them together does. */
function expectEveryOrder(start: PMNode, decisions: readonly Decision[], expected: string): void {
  const state = stateOf(start)
  expect(show(decideTogether(state, decisions))).toBe(expected)
  for (const order of [decisions, [...decisions].reverse()]) {
    expect(show(decideInTurn(state, order).doc), order.join(' then ')).toBe(expected)
  }
}

describe('a join into a textblock that a decision removes', () => {
  const start = () => doc(h2(t('Judul', del('x1'))), joining('j1', 'isi jawaban'))

  it('accepted with the deletion, gives the text in the removed block type, in either order', () => {
    expectEveryOrder(
      start(),
      [
        ['accept', 'x1'],
        ['accept', 'j1'],
      ],
      '# isi jawaban',
    )
  })

  it('rejected, leaves the text as it was, in either order', () => {
    expectEveryOrder(
      start(),
      [
        ['accept', 'x1'],
        ['reject', 'j1'],
      ],
      'isi jawaban',
    )
  })

  it('pending, becomes a change of type under the same id once the target is gone', () => {
    const state = stateOf(start())
    const after = decideInTurn(state, [['accept', 'x1']])
    // The chair sees one suggestion j1 still to decide, now a change to the heading's type.
    expect(show(after.doc)).toBe('~j1(paragraph) # isi jawaban')
    expect(collectSuggestions(after.doc).map((span) => span.id)).toContain('j1')
  })

  it('into a removed block of the same type, goes: it would change nothing', () => {
    const state = stateOf(doc(p(t('lama', del('x1'))), joining('j1', 'baru')))
    expect(show(decideInTurn(state, [['accept', 'x1']]).doc)).toBe('baru')
  })

  it('accepted together with a deletion of every word of its target, keeps its text', () => {
    // The target's own pieces all go, but the text joined into it stays: the target stays too.
    expectEveryOrder(
      doc(p('awal'), h2(t('hapus', del('x1'))), joining('j1', 'tetap')),
      [
        ['accept', 'j1'],
        ['accept', 'x1'],
      ],
      'awal / # tetap',
    )
  })
})

describe('a deletion across a paragraph boundary, whose words in the second paragraph another deletion also took', () => {
  const start = () =>
    doc(
      p('Indonesia ', t('melindungi', del('d1'))),
      p(t('pekerja', del('d1'), del('c1')), ' migran.'),
    )

  it('accepted, still joins the two paragraphs, in either order', () => {
    expectEveryOrder(
      start(),
      [
        ['accept', 'c1'],
        ['accept', 'd1'],
      ],
      'Indonesia  migran.',
    )
  })

  it('rejected, leaves them two paragraphs, in either order', () => {
    expectEveryOrder(
      start(),
      [
        ['accept', 'c1'],
        ['reject', 'd1'],
      ],
      'Indonesia melindungi /  migran.',
    )
  })
})

/**
 * Seeds of the sweep below where accepting one at a time still ends with other block
 * boundaries than accepting all together (the words always agree): stacked structural
 * suggestions inside and beside lists. Decision 0009 records them; a seed that starts agreeing
 * fails the test so that the list only shrinks.
 */
const KNOWN_ORDER_DIFFERENCES = new Set([2, 20, 100, 105, 115, 120, 208, 251])

describe('random suggestions by three people, decided one at a time in a random order', () => {
  it('end as deciding them all together does (300 seeds, 10 edits each)', () => {
    const differing: number[] = []
    const rejectDiffering: string[] = []
    for (let seed = 1; seed <= 300; seed++) {
      const rng = random(seed)
      const authors: Author[] = [author('a'), author('b'), author('c')]
      let state = stateOf(startDoc(), 1)
      for (let step = 0; step < 10; step++) {
        const edit = randomEdit(rng, state)
        if (!edit) continue
        const who = pick(rng, authors)
        state = edit.state.apply(
          suggestTransaction(edit.state, edit.tr, { ...who, onUnsuggestable: () => {} }),
        )
      }
      const ids = [...new Set(collectSuggestions(state.doc).map((span) => span.id))]
      const order = [...ids].sort(() => rng() - 0.5)
      const accepted = decideInTurn(
        state,
        order.map((id) => ['accept', id] as const),
      )
      const rejected = decideInTurn(
        state,
        order.map((id) => ['reject', id] as const),
      )
      // The words always agree, whatever the boundaries.
      expect(accepted.doc.textContent, `seed ${seed}`).toBe(asIfAllAccepted(state.doc).textContent)
      if (!accepted.doc.eq(asIfAllAccepted(state.doc))) differing.push(seed)
      if (!rejected.doc.eq(asIfAllRejected(state.doc))) {
        rejectDiffering.push(
          `seed ${seed}: ${show(rejected.doc)} ≠ ${show(asIfAllRejected(state.doc))}`,
        )
      }
    }
    expect(rejectDiffering).toEqual([])
    expect(differing).toEqual([...KNOWN_ORDER_DIFFERENCES])
  })
})
