import { describe, expect, it } from 'vitest'
import { groupAlternatives } from './alternatives.ts'
import {
  acceptSuggestions,
  collectSuggestions,
  decideSuggestions,
  rejectSuggestions,
} from './review.ts'
import {
  at,
  author,
  backspace,
  del,
  doc,
  ins,
  p,
  select,
  show,
  stateOf,
  suggest,
  t,
  typing,
} from './testing.ts'

const groups = (node: ReturnType<typeof doc>) => groupAlternatives(collectSuggestions(node))

describe('groupAlternatives', () => {
  it('groups deletions of overlapping text', () => {
    expect(
      groups(
        doc(p(t('quick ', del('a1')), t('brown', del('a1'), del('b1')), t(' fox', del('b1')))),
      ),
    ).toEqual([['a1', 'b1']])
  })

  it('does not group deletions that only touch (both can be accepted)', () => {
    expect(groups(doc(p(t('quick', del('a1')), t(' brown', del('b1')))))).toEqual([])
  })

  it("groups an insertion inside or next to another author's deletion", () => {
    expect(groups(doc(p(t('qu', del('a1')), t('x', ins('b1')), t('ick', del('a1')))))).toEqual([
      ['a1', 'b1'],
    ])
    expect(groups(doc(p('the ', t('quick', del('a1')), t('slow', ins('b1')), ' fox')))).toEqual([
      ['a1', 'b1'],
    ])
  })

  it('groups two insertions at the same place', () => {
    expect(groups(doc(p('the ', t('big ', ins('a1')), t('small ', ins('b1')), 'fox')))).toEqual([
      ['a1', 'b1'],
    ])
  })

  it('groups replacements of the same word, whole', () => {
    const node = doc(
      p(
        'the ',
        t('quick', del('a1'), del('b1')),
        t('slow', ins('a1')),
        t('fast', ins('b1')),
        ' fox',
      ),
    )
    expect(groups(node)).toEqual([['a1', 'b1']])
  })

  it('leaves unrelated suggestions out, and chains competition', () => {
    const node = doc(
      p(t('one', ins('a1')), ' two ', t('three', del('b1')), t('3', ins('c1')), t('!', ins('d1'))),
    )
    expect(groups(node)).toEqual([['b1', 'c1', 'd1']])
  })

  it('does not let the same author compete with themselves', () => {
    const node = doc(p('the ', t('big ', ins('a1')), t('red ', ins('a2')), 'fox'))
    const spans = collectSuggestions(node)
    expect(groupAlternatives(spans)).toEqual([['a1', 'a2']])
    const sameAuthor = (x: string, y: string) => x.charAt(0) === y.charAt(0)
    expect(groupAlternatives(spans, { sameAuthor })).toEqual([])
  })
})

describe('two authors suggesting on the same words', () => {
  it('both keep their suggestion; the chair picks one and rejects the other', () => {
    const a = author('a')
    const b = author('b')
    const start = stateOf(doc(p('Indonesia protects migrant workers.')))
    // Each replaces "protects" with their wording, one after the other (as Yjs would merge them).
    let state = select(start, at(start.doc, 'protects'), at(start.doc, 'protects', true))
    state = suggest(state, typing(state, 'safeguards'), a)
    state = select(state, at(state.doc, 'protects'), at(state.doc, 'protects', true))
    state = suggest(state, typing(state, 'defends'), b)
    expect(show(state.doc)).toBe(
      'Indonesia <-a1-b1:protects><+b1:defends><+a1:safeguards> migrant workers.',
    )
    // B's replacement marks the words A deleted too: it does not depend on A's suggestion.
    const [group] = groupAlternatives(collectSuggestions(state.doc))
    expect(group).toEqual(['a1', 'b1'])
    const decided = decideSuggestions(state, { accept: ['b1'], reject: ['a1'] })
    expect(show(decided.doc)).toBe('Indonesia defends migrant workers.')
    const other = decideSuggestions(state, { accept: ['a1'], reject: ['b1'] })
    expect(show(other.doc)).toBe('Indonesia safeguards migrant workers.')
  })

  it("B deleting text that includes A's insertion keeps both; each decision works", () => {
    const a = author('a')
    const b = author('b')
    let state = stateOf(doc(p('one two three')))
    state = select(state, at(state.doc, 'two', true))
    state = suggest(state, typing(state, ' and a half'), a)
    state = select(state, at(state.doc, 'two'), at(state.doc, 'and a', true))
    state = suggest(state, backspace(state), b)
    expect(show(state.doc)).toBe('one <-b1:two><+a1-b1: and a><+a1: half> three')
    expect(show(state.apply(acceptSuggestions(state, ['b1'])).doc)).toBe('one <+a1: half> three')
    expect(show(state.apply(rejectSuggestions(state, ['a1'])).doc)).toBe('one <-b1:two> three')
    expect(show(state.apply(acceptSuggestions(state, ['a1'])).doc)).toBe(
      'one <-b1:two and a> half three',
    )
    // A deleting within their own insertion removes it for real, B's mark with it.
    let mine = select(state, at(state.doc, 'and a', true))
    mine = suggest(mine, backspace(mine), a)
    expect(show(mine.doc)).toBe('one <-b1:two><+a1-b1: and ><+a1: half> three')
  })
})
