import { describe, expect, it } from 'vitest'
import { JOIN_SUGGESTION } from '../blockSuggestions.ts'
import { REVIEW_META } from './passThrough.ts'
import {
  acceptSuggestions,
  asIfAllAccepted,
  asIfAllRejected,
  changedOthersSuggestion,
  collectSuggestions,
  decideSuggestions,
  rejectSuggestions,
  type SuggestionSpan,
  sameBaseText,
  sameSuggestion,
  suggestionKindOf,
  withoutCommentMarks,
} from './review.ts'
import {
  bold,
  brk,
  comment,
  del,
  doc,
  ins,
  li,
  p,
  schema,
  show,
  stateOf,
  t,
  ul,
} from './testing.ts'

const accept = (node: ReturnType<typeof doc>, ...ids: string[]) =>
  show(acceptSuggestions(stateOf(node), ids).doc)
const reject = (node: ReturnType<typeof doc>, ...ids: string[]) =>
  show(rejectSuggestions(stateOf(node), ids).doc)

describe('collectSuggestions', () => {
  it('lists each part of each suggestion once, in document order, merged across nodes', () => {
    const node = doc(
      p('a', t('bc', ins('x1')), t('de', ins('x1'), bold()), 'f', t('gh', del('y1'))),
      p(t('old', del('z1')), t('new', ins('z1'))),
    )
    expect(collectSuggestions(node)).toEqual([
      { id: 'x1', kind: 'insert', from: 2, to: 6, text: 'bcde' },
      { id: 'y1', kind: 'delete', from: 7, to: 9, text: 'gh' },
      { id: 'z1', kind: 'delete', from: 11, to: 14, text: 'old' },
      { id: 'z1', kind: 'insert', from: 14, to: 17, text: 'new' },
    ])
  })

  it('gives a suggestion across paragraphs one span, with a line break for each break', () => {
    const node = doc(
      p('ab', t('c', del('d1')), t('x', ins('i1'))),
      p(t('d', del('d1'))),
      p(brk('i1'), t('y', ins('i1'))),
    )
    const spans = collectSuggestions(node)
    expect(spans.find((span) => span.id === 'd1')).toMatchObject({ from: 3, to: 8, text: 'c\nd' })
    expect(spans.find((span) => span.id === 'i1')).toMatchObject({ from: 4, to: 12, text: 'x\ny' })
  })

  it('keeps overlapping suggestions of several authors apart', () => {
    const node = doc(p('a', t('bc', ins('a1'), del('b1')), t('d', del('b1'))))
    expect(collectSuggestions(node)).toEqual([
      { id: 'b1', kind: 'delete', from: 2, to: 5, text: 'bcd' },
      { id: 'a1', kind: 'insert', from: 2, to: 4, text: 'bc' },
    ])
  })
})

describe('accepting and rejecting', () => {
  const insertion = doc(p('keep ', t('new ', ins('a1')), 'text'))
  const deletion = doc(p('keep ', t('old ', del('a1')), 'text'))
  const replacement = doc(p('the ', t('old', del('a1')), t('new', ins('a1')), ' word'))

  it('accepting an insertion keeps its text, unmarked', () => {
    expect(accept(insertion, 'a1')).toBe('keep new text')
  })

  it('rejecting an insertion removes its text', () => {
    expect(reject(insertion, 'a1')).toBe('keep text')
  })

  it('accepting a deletion removes its text', () => {
    expect(accept(deletion, 'a1')).toBe('keep text')
  })

  it('rejecting a deletion keeps its text, unmarked', () => {
    expect(reject(deletion, 'a1')).toBe('keep old text')
  })

  it('decides both parts of a replacement together', () => {
    expect(accept(replacement, 'a1')).toBe('the new word')
    expect(reject(replacement, 'a1')).toBe('the old word')
  })

  it('leaves the other suggestions pending', () => {
    const node = doc(p(t('one', ins('a1')), ' ', t('two', del('b1'))))
    expect(accept(node, 'a1')).toBe('one <-b1:two>')
    expect(reject(node, 'b1')).toBe('<+a1:one> two')
  })

  it('marks its transactions with the review meta', () => {
    expect(acceptSuggestions(stateOf(insertion), ['a1']).getMeta(REVIEW_META)).toBe(true)
    expect(rejectSuggestions(stateOf(insertion), ['a1']).getMeta(REVIEW_META)).toBe(true)
  })

  it('does nothing for ids that are not in the document', () => {
    expect(acceptSuggestions(stateOf(insertion), ['nope']).docChanged).toBe(false)
  })
})

describe('paragraph breaks', () => {
  const split = doc(p('first '), p(brk('a1'), t('new ', ins('a1')), 'second'))

  it('accepting a suggested break keeps the break and drops its marker', () => {
    expect(accept(split, 'a1')).toBe('first  / new second')
  })

  it('rejecting a suggested break joins the paragraphs again', () => {
    expect(reject(split, 'a1')).toBe('first second')
  })

  it('rejecting a suggested paragraph removes it, and a list item with it', () => {
    const node = doc(ul(li(p('satu')), li(p(brk('a1'), t('tiga', ins('a1')))), li(p('dua'))))
    expect(reject(node, 'a1')).toBe('[• satu / • dua]')
    const only = doc(p('intro'), ul(li(p(brk('a1'), t('new', ins('a1'))))), p('outro'))
    expect(reject(only, 'a1')).toBe('intro / outro')
  })

  it('accepting a deletion across paragraphs joins them; of a whole paragraph, removes it', () => {
    const across = doc(p('ab', t('c', del('d1'))), p(t('d', del('d1')), 'ef'))
    expect(accept(across, 'd1')).toBe('abef')
    const whole = doc(p('one'), p(t('two', del('d1'))), p('three'))
    expect(accept(whole, 'd1')).toBe('one / three')
  })

  it('does not join paragraphs whose texts were deleted by separate suggestions', () => {
    const node = doc(p('ab', t('c', del('d1'))), p(t('d', del('d2')), 'ef'))
    expect(accept(node, 'd1', 'd2')).toBe('ab / ef')
  })

  it("accepting the deletion of another author's break removes the break", () => {
    const node = doc(p('one'), p(t('\u200b', ins('a1'), del('b1')), t('two', ins('a1'))))
    expect(accept(node, 'b1')).toBe('one<+a1:two>')
    expect(reject(node, 'b1')).toBe('one / <+a1:¶two>')
  })

  it('accepting a break that someone proposed deleting keeps their deletion, as a join', () => {
    const node = doc(p('one'), p(t('\u200b', ins('a1'), del('b1')), t('two', ins('a1'))))
    const accepted = acceptSuggestions(stateOf(node), ['a1']).doc
    expect(show(accepted)).toBe('one / ⇠b1 two')
    // Either order gives what deciding both together gives.
    expect(accept(accepted, 'b1')).toBe(accept(node, 'a1', 'b1'))
    expect(accept(accepted, 'b1')).toBe('onetwo')
    expect(reject(accepted, 'b1')).toBe('one / two')
  })
})

describe('overlapping suggestions of several authors', () => {
  // A suggested "brown"; B suggests deleting "quick brown"; C suggests deleting "brown fox".
  const node = doc(
    p(
      'the ',
      t('quick ', del('b1')),
      t('brown', ins('a1'), del('b1'), del('c1')),
      t(' fox', del('c1')),
      ' jumps',
    ),
  )

  it('accepting one deletion removes the text it covers, whoever else suggested on it', () => {
    expect(accept(node, 'b1')).toBe('the <-c1: fox> jumps')
    expect(accept(node, 'c1')).toBe('the <-b1:quick > jumps')
  })

  it('rejecting the insertion removes its text from the other suggestions too', () => {
    expect(reject(node, 'a1')).toBe('the <-b1:quick ><-c1: fox> jumps')
  })

  it('rejecting a deletion leaves the others', () => {
    expect(reject(node, 'b1')).toBe('the quick <+a1-c1:brown><-c1: fox> jumps')
  })

  it('decideSuggestions accepts and rejects in one transaction', () => {
    const tr = decideSuggestions(stateOf(node), { accept: ['c1'], reject: ['a1', 'b1'] })
    expect(show(tr.doc)).toBe('the quick  jumps')
    expect(tr.getMeta(REVIEW_META)).toBe(true)
  })

  it('decideSuggestions accepts an id that is in both lists', () => {
    // The card page's decisions pass both lists; accepting wins, as the engine documents.
    const both = decideSuggestions(stateOf(node), { accept: ['a1'], reject: ['a1'] }).doc
    expect(both.eq(acceptSuggestions(stateOf(node), ['a1']).doc)).toBe(true)
  })

  it('deciding several at once is the same as one after the other', () => {
    const together = acceptSuggestions(stateOf(node), ['a1', 'c1']).doc
    const first = acceptSuggestions(stateOf(node), ['a1']).doc
    const second = acceptSuggestions(stateOf(first), ['c1']).doc
    expect(together.eq(second)).toBe(true)
    const mixed = rejectSuggestions(stateOf(acceptSuggestions(stateOf(node), ['b1']).doc), ['c1'])
    expect(show(mixed.doc)).toBe('the  fox jumps')
  })

  it('all rejected is the text before any suggestion; all accepted, after all of them', () => {
    expect(show(asIfAllRejected(node))).toBe('the quick  fox jumps')
    expect(show(asIfAllAccepted(node))).toBe('the  jumps')
  })
})

describe('the base text', () => {
  it('sameBaseText ignores suggestions and comment anchors', () => {
    const before = doc(p('a ', t('comment', comment('t1')), ' here'))
    const after = doc(p('a ', t('comment', comment('t1'), del('x1')), t('new', ins('x1')), ' here'))
    expect(sameBaseText(before, after)).toBe(true)
    expect(sameBaseText(before, doc(p('a comment here')))).toBe(true)
    expect(sameBaseText(before, doc(p('a comment there')))).toBe(false)
  })

  it('withoutCommentMarks takes off comment anchors only', () => {
    const node = doc(p(t('x', comment('t1'), bold()), t('y', ins('a1'))))
    expect(show(withoutCommentMarks(node))).toBe('<bold:x><+a1:y>')
  })
})

describe('suggestionKindOf names what a suggestion does', () => {
  const span = (kind: SuggestionSpan['kind'], text: string): SuggestionSpan => ({
    id: 's',
    kind,
    from: 0,
    to: 1,
    text,
  })
  it.each([
    [[span('insert', 'kata')], 'insert'],
    [[span('delete', 'kata')], 'delete'],
    [[span('delete', 'lama'), span('insert', 'baru')], 'replace'],
    [[span('insert', '\n')], 'split'],
    [[span('insert', '\nKalimat baru.')], 'split'],
    [[span('join', 'a\nb')], 'join'],
    [[span('format', 'tebal')], 'format'],
    [[span('delete', 'Dua butir'), span('insert', '\nDua butir')], 'move'],
  ] as const)('%j is %s', (parts, kind) => {
    expect(suggestionKindOf(parts)).toBe(kind)
  })
})

describe('decisions across other people’s breaks', () => {
  it('keeps the text after a rejected break in the paragraph whose own text was deleted', () => {
    // a deleted the whole paragraph and inserted "bc" at its end; b suggested a break before
    // "bc". Accepting a and rejecting b leaves "bc" where a put it, not in the list above.
    const node = doc(
      ul(li(p('satu'))),
      p(t('UU lama', del('a1'))),
      p(brk('b1'), t('bc', ins('a1'))),
    )
    const decided = decideSuggestions(stateOf(node), { accept: ['a1'], reject: ['b1'] }).doc
    expect(show(decided)).toBe('[• satu] / bc')
  })

  it('takes a rejected new list item away whole, even when it holds a nested list', () => {
    const node = doc(ul(li(p('satu')), li(p(brk('a1')), ul(li(p('dua'))))))
    expect(reject(node, 'a1')).toBe('[• satu / [• dua]]')
  })

  it('joins a deletion across paragraphs when text typed inside it is rejected', () => {
    // a deleted "migran." and the break after it; c typed "x" between the two.
    const node = doc(
      p('pekerja ', t('migran.', del('a1')), t('x', ins('c1'))),
      p(t('UU', del('a1')), ' lama'),
    )
    const alone = doc(p('pekerja ', t('migran.', del('a1'))), p(t('UU', del('a1')), ' lama'))
    const decided = decideSuggestions(stateOf(node), { accept: ['a1'], reject: ['c1'] }).doc
    expect(show(decided)).toBe('pekerja  lama')
    expect(show(decided)).toBe(accept(alone, 'a1'))
  })

  it('makes one list again of a list that rejected pasted paragraphs split', () => {
    // b pasted two paragraphs in the middle of a list: the list was split around them.
    const node = doc(
      ul(li(p('satu')), li(p('dua'))),
      p(brk('b1'), t('tempel', ins('b1'))),
      p(brk('b1'), t('lagi', ins('b1'))),
      ul(li(p('tiga'))),
    )
    expect(reject(node, 'b1')).toBe('[• satu / • dua / • tiga]')
    // Two lists that were side by side before anyone suggested stay two lists.
    const two = doc(ul(li(p('satu'))), ul(li(p('dua', t('x', ins('b1'))))))
    expect(reject(two, 'b1')).toBe('[• satu] / [• dua]')
  })

  it('accepts a deletion across a list as if a rejected new list item inside it were never made', () => {
    // a deleted from "migran." to "UU"; b pressed Enter at the end of "dua" (inside a's deletion).
    const made = (...extra: ReturnType<typeof li>[]) =>
      doc(
        p('pekerja ', t('migran.', del('a1'))),
        ul(li(p(t('satu', del('a1')))), li(p(t('dua', del('a1')))), ...extra),
        p(t('UU', del('a1')), ' lama'),
      )
    const decided = decideSuggestions(stateOf(made(li(p(brk('b1'))))), {
      accept: ['a1'],
      reject: ['b1'],
    }).doc
    expect(show(decided)).toBe(accept(made(), 'a1'))
    expect(show(decided)).toBe('pekerja  lama')
  })
})

describe('sameSuggestion', () => {
  const inserted = doc(p('Indonesia ', t('melindungi pekerja', ins('a1')), '.'))

  it('holds when another person’s break splits the inserted text', () => {
    const split = doc(
      p('Indonesia ', t('melindungi ', ins('a1'))),
      p(brk('b1'), t('pekerja', ins('a1')), '.'),
    )
    expect(sameSuggestion(inserted, split, 'a1', (id) => id === 'b1')).toBe(true)
  })

  it('fails when text gains the mark, loses it, or the mark moves', () => {
    const gained = doc(p('Indonesia ', t('melindungi pekerja migran', ins('a1')), '.'))
    const lost = doc(p('Indonesia ', t('melindungi', ins('a1')), ' pekerja.'))
    const moved = doc(p(t('melindungi pekerja', ins('a1')), 'Indonesia .'))
    for (const changed of [gained, lost, moved]) {
      expect(sameSuggestion(inserted, changed, 'a1')).toBe(false)
    }
  })

  it('does not count text the judged person inserted and took out again', () => {
    const before = doc(p(t('lama', del('a1')), t('x', ins('b1'), del('a1')), 'baru'))
    const after = doc(p(t('lama', del('a1')), 'baru'))
    expect(sameSuggestion(before, after, 'a1', (id) => id === 'b1')).toBe(true)
    expect(sameSuggestion(before, after, 'a1')).toBe(false)
  })
})

describe('changedOthersSuggestion: what the server would refuse a suggester', () => {
  const mine = (id: string) => id.startsWith('b')

  it('finds another person’s inserted text that lost its mark, or gained text', () => {
    const before = doc(p('one ', t('two', ins('a1')), ' three'))
    expect(changedOthersSuggestion(before, doc(p('one two three')), mine)).toBe('a1')
    expect(
      changedOthersSuggestion(before, doc(p('one ', t('twox', ins('a1')), ' three')), mine),
    ).toBe('a1')
  })

  it('allows one’s own suggestions to change, and others’ to be proposed for deletion', () => {
    const before = doc(p('one ', t('two', ins('a1')), ' ', t('new', ins('b1'))))
    const withdrawn = doc(p('one ', t('two', ins('a1')), ' '))
    expect(changedOthersSuggestion(before, withdrawn, mine)).toBeNull()
    const deleting = doc(p('one ', t('two', ins('a1'), del('b2')), ' ', t('new', ins('b1'))))
    expect(changedOthersSuggestion(before, deleting, mine)).toBeNull()
  })

  it('finds another person’s suggested paragraph break that moved into a list', () => {
    const before = doc(p('one'), p(brk('a1'), t('two', ins('a1'))))
    const listed = doc(p('one'), ul(li(p(brk('a1'), t('two', ins('a1'))))))
    expect(changedOthersSuggestion(before, listed, mine)).toBe('a1')
  })

  it('finds another person’s join that was dropped, but not one’s own text proposed before it', () => {
    const joined = (id: string, text: string) =>
      schema.nodes.paragraph?.create({ [JOIN_SUGGESTION]: id }, schema.text(text))
    const second = joined('a2', 'two')
    if (!second) throw new Error('schema')
    const before = doc(p('one ', t('c', comment('t1'))), second)
    expect(
      changedOthersSuggestion(before, doc(p('one ', t('c', comment('t1'))), p('two')), mine),
    ).toBe('a2')
    const commented = doc(
      p('one ', t('c', comment('t1')), t('x', ins('b1'), comment('t1'))),
      second,
    )
    expect(changedOthersSuggestion(before, commented, mine)).toBeNull()
  })
})
