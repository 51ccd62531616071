/**
 * Properties of the engine over many random edits (seeded, so a failure can be replayed): the
 * suggested transaction leaves "as if all rejected" unchanged, its inverse steps restore the
 * document, and deciding any suggestions always gives a valid document.
 */
import { describe, expect, it } from 'vitest'
import { type EditKind, pick, random, randomEdit, startDoc } from './randomEdits.ts'
import {
  acceptSuggestions,
  asIfAllAccepted,
  asIfAllRejected,
  collectSuggestions,
  rejectSuggestions,
  sameBaseText,
} from './review.ts'
import { ChangesOthersSuggestion, suggestTransaction } from './suggestTransaction.ts'
import { type Author, author, show, stateOf } from './testing.ts'

/** How many edits of each kind were tried, and how many the engine could not propose. */
const tally = { edits: 0, dropped: 0, errors: [] as string[] }

/**
 * Runs `steps` random edits from the start document, each by a random author in suggesting mode
 * (now and then a chair's accept or reject), checking the properties after each.
 */
function walk(seed: number, steps: number): void {
  const rng = random(seed)
  const authors: Author[] = [author('a'), author('b'), author('c')]
  let state = stateOf(startDoc(), 1)
  for (let step = 0; step < steps; step++) {
    if (rng() < 0.08) {
      const ids = [...new Set(collectSuggestions(state.doc).map((span) => span.id))]
      const chosen = ids.filter(() => rng() < 0.5)
      const decided = (rng() < 0.5 ? acceptSuggestions : rejectSuggestions)(state, chosen)
      decided.doc.check()
      state = state.apply(decided)
      continue
    }
    const edit = randomEdit(rng, state)
    if (!edit) continue
    const who = pick(rng, authors)
    const start = edit.state.doc
    tally.edits++
    const suggested = suggestTransaction(edit.state, edit.tr, {
      ...who,
      onUnsuggestable: (_tr, error) => {
        tally.dropped++
        // Not proposing what would change another person's suggestion is a refusal, not a
        // failure of the engine.
        if (error && !(error instanceof ChangesOthersSuggestion)) tally.errors.push(String(error))
      },
    })
    const label = `seed ${seed}, step ${step}: ${show(start)} / ${who.name} ${edit.name}`
    suggested.doc.check()
    if (!sameBaseText(start, suggested.doc)) {
      expect.fail(
        [
          label,
          `after:    ${show(suggested.doc)}`,
          `base was: ${show(asIfAllRejected(start))}`,
          `base now: ${show(asIfAllRejected(suggested.doc))}`,
        ].join('\n'),
      )
    }
    // Undo-equivalence: the inverse steps, last first, give back the document.
    let undone = suggested.doc
    for (let i = suggested.steps.length - 1; i >= 0; i--) {
      const step = suggested.steps[i]
      const before = suggested.docs[i]
      if (!step || !before) throw new Error('steps')
      const result = step.invert(before).apply(undone)
      if (!result.doc) throw new Error(`${label}: inverse step failed: ${result.failed}`)
      undone = result.doc
    }
    expect(undone.eq(start), label).toBe(true)
    state = edit.state.apply(suggested)
    asIfAllAccepted(state.doc).check()
    asIfAllRejected(state.doc).check()
  }
}

describe('over random edits by three authors (seeded)', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))(
    'seed %i: each suggested transaction keeps the base text and its inverse restores the doc',
    (seed) => {
      walk(seed, 60)
    },
  )

  it('proposes nearly every edit: under 1% dropped, none by an error', () => {
    expect(tally.edits).toBeGreaterThan(1000)
    expect(tally.errors).toEqual([])
    expect(tally.dropped / tally.edits).toBeLessThan(0.01)
  })
})

describe('accepting a suggested edit gives the edit (seeded)', () => {
  // Edits whose suggestion, accepted, must give exactly what the edit gives directly. (Not
  // here: zero-width spaces and hard breaks, which the engine proposes differently, and changes
  // of list structure, which it proposes as whole blocks.)
  const kinds: EditKind[] = [
    'type',
    'backspace',
    'delete',
    'enter',
    'bold',
    'heading',
    'paragraph',
    'joinBackward',
    'joinForward',
  ]
  it.each(Array.from({ length: 200 }, (_, i) => i + 1))('seed %i', (seed) => {
    const rng = random(seed)
    const edit = randomEdit(rng, stateOf(startDoc(), 1), kinds, ['a', 'bc', ' ', 'xy z', 'ü'])
    if (!edit) return
    const suggested = suggestTransaction(edit.state, edit.tr, author('a'))
    expect(show(asIfAllAccepted(suggested.doc)), edit.name).toBe(show(edit.tr.doc))
    expect(asIfAllAccepted(suggested.doc).eq(edit.tr.doc), edit.name).toBe(true)
    expect(asIfAllRejected(suggested.doc).eq(edit.state.doc), edit.name).toBe(true)
  })
})

describe('deciding suggestions one at a time, in any order (seeded)', () => {
  /** 40 random edits of every kind by three authors, each inside the others' suggestions. */
  function suggestedBy3(seed: number) {
    const rng = random(seed)
    const authors: Author[] = [author('a'), author('b'), author('c')]
    let state = stateOf(startDoc(), 1)
    for (let step = 0; step < 40; step++) {
      const edit = randomEdit(rng, state)
      if (!edit) continue
      state = edit.state.apply(suggestTransaction(edit.state, edit.tr, pick(rng, authors)))
    }
    return { state, rng }
  }

  /** Decides one pending suggestion at a time, chosen at random, until none is left. */
  function oneByOne(
    start: ReturnType<typeof suggestedBy3>,
    decide: typeof acceptSuggestions,
  ): ReturnType<typeof asIfAllAccepted> {
    let state = start.state
    for (let guard = 0; guard < 500; guard++) {
      const ids = [...new Set(collectSuggestions(state.doc).map((span) => span.id))]
      if (ids.length === 0) return state.doc
      state = state.apply(decide(state, [pick(start.rng, ids)]))
      state.doc.check()
    }
    throw new Error('suggestions left after 500 decisions')
  }

  // The words always agree. Where paragraph and list boundaries differ (suggestions stacked on
  // other people's suggested breaks: 73 of 300 seeds accepting, 14 rejecting, in a sweep), the
  // gap is recorded in decision 0009 and issue 11 stays open on it.
  it.each(Array.from({ length: 60 }, (_, i) => i + 1))(
    'seed %i: accepting all in any order gives the words of accepting all at once; rejecting, of none',
    (seed) => {
      const built = suggestedBy3(seed)
      const all = asIfAllAccepted(built.state.doc)
      const none = asIfAllRejected(built.state.doc)
      expect(oneByOne(built, acceptSuggestions).textContent).toBe(all.textContent)
      expect(oneByOne(built, rejectSuggestions).textContent).toBe(none.textContent)
    },
  )
})
