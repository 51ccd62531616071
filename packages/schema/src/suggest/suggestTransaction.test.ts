import {
  joinBackward,
  joinForward,
  setBlockType,
  splitBlock,
  toggleMark,
} from '@tiptap/pm/commands'
import { splitListItem, wrapInList } from '@tiptap/pm/schema-list'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import { BLOCK_BREAK_STAND_IN } from './blockBreak.ts'
import { REVIEW_META, SUGGESTED_META } from './passThrough.ts'
import { asIfAllAccepted, asIfAllRejected, collectSuggestions, suggestionKindOf } from './review.ts'
import { suggestTransaction } from './suggestTransaction.ts'
import {
  at,
  author,
  backspace,
  brk,
  comment,
  del,
  doc,
  forwardDelete,
  ins,
  li,
  p,
  paste,
  run,
  schema,
  select,
  show,
  stateOf,
  suggest,
  t,
  typing,
  ul,
} from './testing.ts'

const nodes = schema.nodes
const marks = schema.marks

describe('typing in suggesting mode', () => {
  it('marks the typed text as an insertion and leaves the cursor after it', () => {
    const a = author('a')
    let state = stateOf(doc(p('hello world')))
    state = select(state, at(state.doc, 'hello', true))
    state = suggest(state, typing(state, 'X'), a)
    expect(show(state.doc)).toBe('hello<+a1:X> world')
    expect(state.selection.head).toBe(at(state.doc, 'X', true))
  })

  it('continues its own insertion letter by letter, so a typed word is one suggestion', () => {
    const a = author('a')
    let state = stateOf(doc(p('hello world')))
    state = select(state, at(state.doc, 'hello', true))
    for (const letter of [' ', 'b', 'i', 'g']) state = suggest(state, typing(state, letter), a)
    expect(show(state.doc)).toBe('hello<+a1: big> world')
    expect(a.ids).toEqual(['a1'])
  })

  it('continues its own insertion when typing inside it', () => {
    const a = author('a')
    a.ids.push('a1')
    let state = stateOf(doc(p('ab', t('xz', ins('a1')), 'cd')))
    state = select(state, at(state.doc, 'x', true))
    state = suggest(state, typing(state, 'y'), a)
    expect(show(state.doc)).toBe('ab<+a1:xyz>cd')
  })

  it('starts a new suggestion away from its own, with an id from newId', () => {
    const a = author('a')
    let state = stateOf(doc(p('one two three')))
    state = select(state, at(state.doc, 'one', true))
    state = suggest(state, typing(state, '!'), a)
    state = select(state, at(state.doc, 'three', true))
    state = suggest(state, typing(state, '?'), a)
    expect(show(state.doc)).toBe('one<+a1:!> two three<+a2:?>')
  })

  it("inside another author's insertion, types its own (the inherited mark is dropped)", () => {
    const b = author('b')
    let state = stateOf(doc(p('ab', t('xyz', ins('a1')), 'cd')))
    state = select(state, at(state.doc, 'x', true))
    state = suggest(state, typing(state, 'Q'), b)
    expect(show(state.doc)).toBe('ab<+a1:x><+b1:Q><+a1:yz>cd')
  })

  it('typed inside deleted words goes after them, so that the deleted words stay whole', () => {
    const b = author('b')
    let state = stateOf(doc(p('keep ', t('gone', del('a1')), ' end')))
    state = select(state, at(state.doc, 'go', true))
    state = suggest(state, typing(state, 'new'), b)
    expect(show(state.doc)).toBe('keep <-a1:gone><+b1:new> end')
    expect(state.selection.head).toBe(at(state.doc, 'new', true))
  })

  it('turns a typed zero-width space into a word joiner (it cannot pass for a break marker)', () => {
    const a = author('a')
    let state = stateOf(doc(p('ab')), 1)
    state = suggest(state, typing(state, '\u200b'), a)
    expect(state.doc.textContent).toBe(`${BLOCK_BREAK_STAND_IN}ab`)
  })

  it('proposes a hard break as a space (Yjs keeps no mark on a hard break)', () => {
    const a = author('a')
    const hardBreak = nodes.hardBreak
    if (!hardBreak) throw new Error('schema')
    let state = stateOf(doc(p('ab')), 2)
    state = suggest(state, state.tr.replaceSelectionWith(hardBreak.create()), a)
    expect(show(state.doc)).toBe('a<+a1: >b')
  })
})

describe('deleting in suggesting mode', () => {
  it('Backspace marks the character deleted and moves the cursor before it', () => {
    const a = author('a')
    let state = stateOf(doc(p('hello')))
    state = select(state, at(state.doc, 'hello', true))
    state = suggest(state, backspace(state), a)
    expect(show(state.doc)).toBe('hell<-a1:o>')
    expect(state.selection.head).toBe(at(state.doc, 'o'))
    state = suggest(state, backspace(state), a)
    state = suggest(state, backspace(state), a)
    expect(show(state.doc)).toBe('he<-a1:llo>')
    expect(a.ids).toEqual(['a1'])
  })

  it('forward Delete marks the character and leaves the cursor after it', () => {
    const a = author('a')
    let state = stateOf(doc(p('hello')), 1)
    state = suggest(state, forwardDelete(state), a)
    state = suggest(state, forwardDelete(state), a)
    expect(show(state.doc)).toBe('<-a1:he>llo')
    expect(state.selection.head).toBe(at(state.doc, 'llo'))
  })

  it('Backspace inside its own insertion removes the text for real', () => {
    const a = author('a')
    let state = stateOf(doc(p('hello')))
    state = select(state, at(state.doc, 'hello', true))
    state = suggest(state, typing(state, 'XY'), a)
    state = suggest(state, backspace(state), a)
    expect(show(state.doc)).toBe('hello<+a1:X>')
    state = suggest(state, backspace(state), a)
    expect(show(state.doc)).toBe('hello')
    // Then out of it, into the text as it was: a deletion suggestion.
    state = suggest(state, backspace(state), a)
    expect(show(state.doc)).toBe('hell<-a2:o>')
  })

  it('deleting text that is already suggested for deletion changes nothing', () => {
    const b = author('b')
    const before = doc(p('ab', t('cd', del('a1')), 'ef'))
    let state = stateOf(before)
    state = select(state, at(state.doc, 'cd', true))
    state = suggest(state, backspace(state), b)
    expect(state.doc.eq(before)).toBe(true)
    // …but the cursor moves on, so the next Backspace reaches the text before.
    state = suggest(state, backspace(state), b)
    state = suggest(state, backspace(state), b)
    expect(show(state.doc)).toBe('a<-b1:b><-a1:cd>ef')
  })

  it('a deleted selection marks text that others deleted too, so it stands on its own', () => {
    const b = author('b')
    let state = stateOf(doc(p('the ', t('quick brown', del('a1')), ' fox')))
    state = select(state, at(state.doc, 'brown'), at(state.doc, 'fox', true))
    state = suggest(state, backspace(state), b)
    expect(show(state.doc)).toBe('the <-a1:quick ><-a1-b1:brown><-b1: fox>')
  })

  it("deletes another author's inserted text by suggestion (both marks stay)", () => {
    const b = author('b')
    let state = stateOf(doc(p('ab', t('xyz', ins('a1')), 'cd')))
    state = select(state, at(state.doc, 'b'), at(state.doc, 'xy', true))
    state = suggest(state, backspace(state), b)
    expect(show(state.doc)).toBe('a<-b1:b><+a1-b1:xy><+a1:z>cd')
  })

  it('across paragraphs, marks the text of both and does not join them', () => {
    const a = author('a')
    let state = stateOf(doc(p('first line'), p('second line')))
    state = select(state, at(state.doc, 'line'), at(state.doc, 'second', true))
    state = suggest(state, backspace(state), a)
    expect(show(state.doc)).toBe('first <-a1:line> / <-a1:second> line')
    // Accepting it does what the deletion would have done: one paragraph.
    expect(show(asIfAllAccepted(state.doc))).toBe('first  line')
    expect(show(asIfAllRejected(state.doc))).toBe('first line / second line')
  })

  it('Backspace at the start of an existing paragraph suggests joining it to the one before', () => {
    const a = author('a')
    const before = doc(p('one'), p('two'))
    let state = stateOf(before, at(before, 'two'))
    state = suggest(state, run(state, joinBackward), a)
    expect(show(state.doc)).toBe('one / ⇠a1 two')
    // Nothing moved: the cursor stays at the start of the second paragraph.
    expect(state.selection.head).toBe(at(state.doc, 'two'))
    expect(show(asIfAllRejected(state.doc))).toBe('one / two')
    expect(show(asIfAllAccepted(state.doc))).toBe('onetwo')
    expect(collectSuggestions(state.doc).map((s) => [s.id, s.kind, s.text])).toEqual([
      ['a1', 'join', 'one\ntwo'],
    ])
    // Again: it is suggested already.
    state = suggest(state, run(state, joinBackward), a)
    expect(show(state.doc)).toBe('one / ⇠a1 two')
  })

  it('Delete at the end of a paragraph suggests joining the next one to it', () => {
    const a = author('a')
    const before = doc(p('satu'), p('dua'), p('tiga'))
    let state = stateOf(before, at(before, 'satu', true))
    state = suggest(state, run(state, joinForward), a)
    expect(show(state.doc)).toBe('satu / ⇠a1 dua / tiga')
    expect(show(asIfAllAccepted(state.doc))).toBe('satudua / tiga')
    expect(show(asIfAllRejected(state.doc))).toBe(show(before))
  })

  it('Backspace after a list moves the paragraph into it: proposed as a move', () => {
    const a = author('a')
    const before = doc(ul(li(p('satu'))), p('dua'))
    let state = stateOf(before, at(before, 'dua'))
    state = suggest(state, run(state, joinBackward), a)
    expect(show(state.doc)).toBe('[• satu] / <-a1:dua> / [• <+a1:¶dua>]')
    expect(suggestionKindOf(collectSuggestions(state.doc))).toBe('move')
    expect(show(asIfAllRejected(state.doc))).toBe(show(before))
  })
})

describe('replacing in suggesting mode', () => {
  it('marks the old text deleted and inserts after it, under one id', () => {
    const a = author('a')
    let state = stateOf(doc(p('the old word')))
    state = select(state, at(state.doc, 'old'), at(state.doc, 'old', true))
    state = suggest(state, typing(state, 'n'), a)
    state = suggest(state, typing(state, 'ew'), a)
    expect(show(state.doc)).toBe('the <-a1:old><+a1:new> word')
    expect(collectSuggestions(state.doc)).toEqual([
      { id: 'a1', kind: 'delete', from: 5, to: 8, text: 'old' },
      { id: 'a1', kind: 'insert', from: 8, to: 11, text: 'new' },
    ])
  })

  it('typing after its own deletion makes it a replacement', () => {
    const a = author('a')
    let state = stateOf(doc(p('abc')), at(doc(p('abc')), 'abc', true))
    state = suggest(state, backspace(state), a)
    state = select(state, at(state.doc, 'c', true))
    state = suggest(state, typing(state, 'X'), a)
    expect(show(state.doc)).toBe('ab<-a1:c><+a1:X>')
  })

  it('pasting paragraphs over a selection inserts them after the deleted text', () => {
    const a = author('a')
    let state = stateOf(doc(p('start middle end')))
    state = select(state, at(state.doc, 'middle'), at(state.doc, 'middle', true))
    state = suggest(state, paste(state, p('one'), p('two')), a)
    expect(show(state.doc)).toBe('start <-a1:middle><+a1:one> / <+a1:¶two> end')
    expect(show(asIfAllRejected(state.doc))).toBe('start middle end')
    expect(show(asIfAllAccepted(state.doc))).toBe('start one / two end')
  })
})

describe('paragraph breaks in suggesting mode', () => {
  it('Enter splits the paragraph and marks the new one with a break marker', () => {
    const a = author('a')
    let state = stateOf(doc(p('first second')))
    state = select(state, at(state.doc, 'first ', true))
    state = suggest(state, run(state, splitBlock), a)
    expect(show(state.doc)).toBe('first  / <+a1:¶>second')
    // The cursor is after the marker: what follows continues the same suggestion.
    state = suggest(state, typing(state, 'new '), a)
    expect(show(state.doc)).toBe('first  / <+a1:¶new >second')
    expect(show(asIfAllRejected(state.doc))).toBe('first second')
    expect(show(asIfAllAccepted(state.doc))).toBe('first  / new second')
  })

  it('Backspace right after its own Enter joins the paragraphs again', () => {
    const a = author('a')
    const before = doc(p('first second'))
    let state = stateOf(before, at(before, 'first ', true))
    state = suggest(state, run(state, splitBlock), a)
    state = suggest(state, backspace(state), a)
    expect(state.doc.eq(before)).toBe(true)
    // Also with the cursor in front of the marker (joinBackward).
    state = suggest(state, run(state, splitBlock), a)
    state = select(state, state.selection.head - 1)
    state = suggest(state, run(state, joinBackward), a)
    expect(state.doc.eq(before)).toBe(true)
  })

  it('Enter at the end of a paragraph adds an empty one; rejecting removes it', () => {
    const a = author('a')
    let state = stateOf(doc(p('one'), p('two')))
    state = select(state, at(state.doc, 'one', true))
    state = suggest(state, run(state, splitBlock), a)
    state = suggest(state, typing(state, 'added'), a)
    expect(show(state.doc)).toBe('one / <+a1:¶added> / two')
    expect(show(asIfAllRejected(state.doc))).toBe('one / two')
  })

  it('Enter in a list adds a list item', () => {
    const a = author('a')
    const item = nodes.listItem
    if (!item) throw new Error('schema')
    let state = stateOf(doc(ul(li(p('satu')), li(p('dua')))))
    state = select(state, at(state.doc, 'satu', true))
    state = suggest(state, run(state, splitListItem(item)), a)
    state = suggest(state, typing(state, 'tiga'), a)
    expect(show(state.doc)).toBe('[• satu / • <+a1:¶tiga> / • dua]')
    expect(show(asIfAllRejected(state.doc))).toBe('[• satu / • dua]')
    expect(show(asIfAllAccepted(state.doc))).toBe('[• satu / • tiga / • dua]')
  })

  it('a suggested break of another author gets a deletion mark on its marker', () => {
    const b = author('b')
    let state = stateOf(doc(p('one'), p(brk('a1'), t('two', ins('a1')))))
    state = select(state, at(state.doc, 'one'), at(state.doc, 'tw', true))
    state = suggest(state, backspace(state), b)
    expect(show(state.doc)).toBe('<-b1:one> / <+a1-b1:¶tw><+a1:o>')
  })
})

describe('formatting in suggesting mode', () => {
  it('proposes bold in place: the text is bold, and a format change records it was not', () => {
    const a = author('a')
    const bold = marks.bold
    if (!bold) throw new Error('schema')
    let state = stateOf(doc(p('make this bold')))
    state = select(state, at(state.doc, 'this'), at(state.doc, 'this', true))
    state = suggest(state, run(state, toggleMark(bold)), a)
    expect(show(state.doc)).toBe('make <bold~a1:this> bold')
    expect(show(asIfAllRejected(state.doc))).toBe('make this bold')
    expect(show(asIfAllAccepted(state.doc))).toBe('make <bold:this> bold')
    const [span] = collectSuggestions(state.doc)
    expect(span).toMatchObject({ id: 'a1', kind: 'format', text: 'this' })
    expect(span?.format).toEqual({ added: ['bold'], removed: [] })
    // Bold off again: back to what it was, and no suggestion left.
    state = suggest(state, run(state, toggleMark(bold)), a)
    expect(show(state.doc)).toBe('make this bold')
    expect(collectSuggestions(state.doc)).toEqual([])
  })

  it('proposes removing formatting in place, and italic on top keeps one change', () => {
    const a = author('a')
    const { bold, italic } = marks
    if (!bold || !italic) throw new Error('schema')
    let state = stateOf(doc(p('a ', t('bold', bold.create()), ' word')))
    state = select(state, at(state.doc, 'bold'), at(state.doc, 'bold', true))
    state = suggest(state, run(state, toggleMark(bold)), a)
    state = suggest(state, run(state, toggleMark(italic)), a)
    expect(show(state.doc)).toBe('a <italic~a1:bold> word')
    expect(collectSuggestions(state.doc)[0]?.format).toEqual({
      added: ['italic'],
      removed: ['bold'],
    })
    expect(show(asIfAllRejected(state.doc))).toBe('a <bold:bold> word')
  })

  it('over another person’s format change, falls back to a replacement', () => {
    const a = author('a')
    const bold = marks.bold
    const format = marks.formatChange
    if (!bold || !format) throw new Error('schema')
    let state = stateOf(
      doc(p('x ', t('word', bold.create(), format.create({ id: 'b1', before: [] })), ' y')),
    )
    state = select(state, at(state.doc, 'word'), at(state.doc, 'word', true))
    state = suggest(state, run(state, toggleMark(bold)), a)
    expect(show(state.doc)).toBe('x <-a1bold~b1:word><+a1:word> y')
    expect(show(asIfAllRejected(state.doc))).toBe('x word y')
  })

  it('proposes a heading in place: the paragraph becomes one, and records it was a paragraph', () => {
    const a = author('a')
    const heading = nodes.heading
    const paragraph = nodes.paragraph
    if (!heading || !paragraph) throw new Error('schema')
    let state = stateOf(doc(p('Title'), p('text')), 2)
    state = suggest(state, run(state, setBlockType(heading, { level: 2 })), a)
    expect(show(state.doc)).toBe('~a1(paragraph) # Title / text')
    expect(state.selection.$head.parent.type).toBe(heading)
    expect(show(asIfAllRejected(state.doc))).toBe('Title / text')
    expect(show(asIfAllAccepted(state.doc))).toBe('# Title / text')
    expect(collectSuggestions(state.doc)[0]?.format?.block).toEqual({
      from: 'paragraph',
      to: 'heading 2',
    })
    // Another level is the same suggestion; back to a paragraph, none at all.
    state = suggest(state, run(state, setBlockType(heading, { level: 3 })), a)
    expect(show(state.doc)).toBe('~a1(paragraph) # Title / text')
    state = suggest(state, run(state, setBlockType(paragraph)), a)
    expect(show(state.doc)).toBe('Title / text')
  })

  it('proposes a bullet list the same way', () => {
    const a = author('a')
    const list = nodes.bulletList
    if (!list) throw new Error('schema')
    let state = stateOf(doc(p('point'), p('text')), 2)
    state = suggest(state, run(state, wrapInList(list)), a)
    expect(show(state.doc)).toBe('<-a1:point> / [• <+a1:¶point>] / text')
    expect(show(asIfAllRejected(state.doc))).toBe('point / text')
    expect(show(asIfAllAccepted(state.doc))).toBe('[• point] / text')
  })
})

describe('undo', () => {
  it('the inverse steps of a suggested transaction restore the document', () => {
    const a = author('a')
    const before = doc(p('one two'), p(brk('x1'), t('three', ins('x1'))))
    let state = stateOf(before)
    state = select(state, at(state.doc, 'two'), at(state.doc, 'thr', true))
    const out = suggestTransaction(state, paste(state, p('new'), p('lines')), a)
    expect(out.doc.eq(before)).toBe(false)
    let undone = out.doc
    for (let i = out.steps.length - 1; i >= 0; i--) {
      const step = out.steps[i]
      const stepDoc = out.docs[i]
      if (!step || !stepDoc) throw new Error('steps')
      undone = step.invert(stepDoc).apply(undone).doc ?? undone
    }
    expect(undone.eq(before)).toBe(true)
  })
})

describe('transactions that pass through', () => {
  const a = author('a')
  const state = stateOf(doc(p('text')), 2)

  it("remote changes and y-undo (the sync plugin's transactions)", () => {
    const tr = state.tr.insertText('x').setMeta(ySyncPluginKey, { isChangeOrigin: true })
    expect(suggestTransaction(state, tr, a)).toBe(tr)
    const other = state.tr.insertText('x').setMeta('y-sync$1', { isChangeOrigin: true })
    expect(suggestTransaction(state, other, a)).toBe(other)
  })

  it('accepting and rejecting', () => {
    const tr = state.tr.insertText('x').setMeta(REVIEW_META, true)
    expect(suggestTransaction(state, tr, a)).toBe(tr)
  })

  it('selection changes and stored marks', () => {
    const tr = state.tr.setSelection(state.selection).setStoredMarks([])
    expect(suggestTransaction(state, tr, a)).toBe(tr)
  })

  it('comment anchors', () => {
    const tr = state.tr.addMark(1, 3, comment('t1'))
    expect(suggestTransaction(state, tr, a)).toBe(tr)
  })

  it('but not a text change flagged addToHistory: false', () => {
    const tr = state.tr.insertText('x').setMeta('addToHistory', false)
    const out = suggestTransaction(state, tr, author('z'))
    expect(out).not.toBe(tr)
    expect(show(out.doc)).toBe('t<+z1:x>ext')
    expect(out.getMeta('addToHistory')).toBe(false)
    expect(out.getMeta(SUGGESTED_META)).toBe(true)
    // What the engine produced is not suggested again.
    expect(suggestTransaction(state, out, author('z'))).toBe(out)
  })
})
