/**
 * One word changed by two people at the same moment, on random schedules: a ministry suggests
 * replacing "pengasuh" while an editor retypes it, or two ministries suggest different words for
 * it. Each keystroke goes through the editor's binding into the person's replica; deliveries to
 * and from a server replica lag by random amounts; after each delivery the server repairs the
 * suggestion marks as Kartu's server does (repairConcurrentMarks, in Room).
 *
 * Whatever the schedule, every suggestion stays a whole proposal: rejecting everything gives the
 * text the editor wrote (or the original), and accepting one suggestion gives that person's word
 * in place of the word, or next to the editor's word when the editor changed it too, never a
 * fragment of someone's word ("pe → perawat" whose acceptance read "ngasuh anakperawat", as seen
 * in a rakor). Seeded, so a failure can be replayed.
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import { TextSelection, type Transaction } from '@tiptap/pm/state'
import {
  prosemirrorJSONToYXmlFragment,
  updateYFragment,
  yXmlFragmentToProseMirrorRootNode,
} from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ANSWER_FIELD } from '../cardLayout.ts'
import { repairConcurrentMarks } from '../concurrentMarks.ts'
import { directEdit } from './directEdit.ts'
import { random } from './randomEdits.ts'
import { asIfAllRejected, decideSuggestions } from './review.ts'
import { type Author, author, doc, p, schema, show, stateOf, suggest } from './testing.ts'

const ORIGINAL = 'Ibu pengasuh anak bekerja.'
/** Where the word begins: after "Ibu " (position 1 is the paragraph's start). */
const WORD_START = 5

const read = (ydoc: Y.Doc): PMNode =>
  yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ANSWER_FIELD), schema)

/** Writes `node` into the replica as the sync plugin does after a local transaction. */
function write(ydoc: Y.Doc, node: PMNode): void {
  const meta = { mapping: new Map(), isOMark: new Map() }
  ydoc.transact(() => updateYFragment(ydoc, ydoc.getXmlFragment(ANSWER_FIELD), node, meta))
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b))
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))
  Y.applyUpdate(b, toB)
  Y.applyUpdate(a, toA)
}

/** The word after "Ibu " as a person sees it: up to a space or someone's suggested insertion. */
function wordAt(node: PMNode): { from: number; to: number } {
  let to = WORD_START
  node.descendants((child, pos) => {
    if (!child.isText) return true
    const text = child.text ?? ''
    for (let i = 0; i < text.length; i++) {
      if (pos + i < to) continue
      if (pos + i > to) return false
      const inserted = child.marks.some((mark) => mark.type.name === 'insertion')
      if (text[i] === ' ' || inserted) return false
      to += 1
    }
    return false
  })
  return { from: WORD_START, to }
}

type Person = {
  ydoc: Y.Doc
  word: string
  typed: number
  /** A suggester's author (suggestion ids); null for an editor typing directly. */
  who: Author | null
  /** The caret, kept in Yjs as the binding keeps it across remote changes. */
  caret: Y.RelativePosition | null
}

function textOf(ydoc: Y.Doc): Y.XmlText {
  const paragraph = ydoc.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement
  return paragraph.get(0) as Y.XmlText
}

/** The next letter of the person's word: the first replaces the word, the rest follow it. */
function typeLetter(person: Person): void {
  const node = read(person.ydoc)
  const letter = person.word.charAt(person.typed)
  if (person.who) {
    let state = stateOf(node)
    const word = wordAt(node)
    let anchor = word.from
    let head = word.to
    if (person.typed > 0 && person.caret) {
      // Where the binding puts the caret back after remote changes (y-tiptap: a relative
      // position tied to the letter before it, patched to be trusted while its text lives).
      const at = Y.createAbsolutePositionFromRelativePosition(person.caret, person.ydoc)
      anchor = 1 + (at?.index ?? 0)
      head = anchor
    }
    state = state.apply(state.tr.setSelection(TextSelection.create(node, anchor, head)))
    const suggested = suggest(state, state.tr.insertText(letter), person.who)
    write(person.ydoc, suggested.doc)
    person.caret = Y.createRelativePositionFromTypeIndex(
      textOf(person.ydoc),
      suggested.selection.head - 1,
      -1,
    )
  } else {
    const state = stateOf(node)
    let tr: Transaction
    let after: number
    if (person.typed === 0) {
      const word = wordAt(node)
      tr = state.tr.insertText(letter, word.from, word.to)
      after = word.from + 1
    } else {
      const caret = Y.createAbsolutePositionFromRelativePosition(
        person.caret as Y.RelativePosition,
        person.ydoc,
      )
      const at = (caret?.index ?? 0) + 1
      tr = state.tr.insertText(letter, at)
      after = at + 1
    }
    // As the editor dispatches it in editing mode (directEdit.ts).
    const plan = directEdit(state, tr)
    const next = state.apply(plan.first)
    write(person.ydoc, next.doc)
    if (plan.second) write(person.ydoc, plan.second(next).doc)
    person.caret = Y.createRelativePositionFromTypeIndex(textOf(person.ydoc), after - 1, -1)
  }
  person.typed += 1
}

/** Two people change the word on a random schedule; returns the server's final answer. */
function race(seed: number, people: Person[]): PMNode {
  const next = random(seed)
  const server = new Y.Doc()
  server.clientID = 1
  prosemirrorJSONToYXmlFragment(
    schema,
    doc(p(ORIGINAL)).toJSON(),
    server.getXmlFragment(ANSWER_FIELD),
  )
  for (const person of people) {
    Y.applyUpdate(person.ydoc, Y.encodeStateAsUpdate(server))
    // Client ids decide how Yjs orders concurrent insertions: vary them with the seed.
    person.ydoc.clientID = 10 + Math.floor(next() * 1000)
  }
  const repair = () =>
    server.transact(() => repairConcurrentMarks(server.getXmlFragment(ANSWER_FIELD)))
  while (people.some((person) => person.typed < person.word.length)) {
    const person = people[next() < 0.5 ? 0 : 1] as Person
    if (person.typed < person.word.length) typeLetter(person)
    // Deliveries lag behind typing by a random amount, as on a busy network.
    for (const other of people) if (next() < 0.5) exchange(other.ydoc, server)
    repair()
  }
  for (let round = 0; round < 3; round++) {
    for (const person of people) exchange(person.ydoc, server)
    repair()
  }
  for (const person of people) exchange(person.ydoc, server)
  for (const person of people) expect(read(person.ydoc).eq(read(server))).toBe(true)
  return read(server)
}

const editor = (word: string): Person => ({
  ydoc: new Y.Doc(),
  word,
  typed: 0,
  who: null,
  caret: null,
})
const suggester = (name: string, word: string): Person => ({
  ydoc: new Y.Doc(),
  word,
  typed: 0,
  who: author(name),
  caret: null,
})

const SEEDS = Array.from({ length: 300 }, (_, seed) => seed)

describe('a ministry suggests a word while an editor retypes it', () => {
  it.each(SEEDS)('every outcome is whole words (seed %i)', (seed) => {
    const editorWord = seed % 2 === 0 ? 'pendamping' : 'pengasuh'
    const ministry = suggester('s', 'perawat')
    const answer = race(seed, [ministry, editor(editorWord)])
    const label = show(answer)
    // Rejected: the editor's text, every letter of it.
    const rejected = ORIGINAL.replace('pengasuh', editorWord)
    expect(asIfAllRejected(answer).textContent, label).toBe(rejected)
    // Accepted: the ministry's word instead of the editor's, or beside it (when the ministry's
    // deletion concerned a word the editor has since replaced).
    const accepted = decideSuggestions(stateOf(answer), { accept: ministry.who?.ids ?? [] }).doc
    expect(
      [
        rejected.replace(editorWord, 'perawat'),
        rejected.replace(editorWord, `${editorWord}perawat`),
        rejected.replace(editorWord, `perawat${editorWord}`),
      ],
      label,
    ).toContain(accepted.textContent)
  })
})

describe('two ministries suggest different words for the same word', () => {
  it.each(SEEDS.slice(0, 200))('each suggestion alone gives its word (seed %i)', (seed) => {
    const a = suggester('a', 'perawat')
    const b = suggester('b', 'pendamping')
    const answer = race(seed + 1000, [a, b])
    const label = show(answer)
    const state = stateOf(answer)
    expect(asIfAllRejected(answer).textContent, label).toBe(ORIGINAL)
    const only = (chosen: Person, other: Person) =>
      decideSuggestions(state, { accept: chosen.who?.ids ?? [], reject: other.who?.ids ?? [] }).doc
        .textContent
    expect(only(a, b), label).toBe(ORIGINAL.replace('pengasuh', 'perawat'))
    expect(only(b, a), label).toBe(ORIGINAL.replace('pengasuh', 'pendamping'))
  })
})
