/**
 * A suggester and an editor change the same word at once, on random schedules, with every update
 * judged by the policy as the room judges it and the room's repair run after each (the server's
 * side of @kartu/schema concurrentWord.test.ts). An honest client's update is never refused, and
 * every outcome is whole words.
 */
import { Role } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  asIfAllRejected,
  decideSuggestions,
  directEdit,
  getAnswerSchema,
  SUGGESTIONS_FIELD,
} from '@kartu/schema'
import { author, doc, p, random, show, stateOf, suggest } from '@kartu/schema/testing'
import type { Node as PMNode } from '@tiptap/pm/model'
import { TextSelection } from '@tiptap/pm/state'
import {
  prosemirrorToYXmlFragment,
  updateYFragment,
  yXmlFragmentToProseMirrorRootNode,
} from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SuggestionRepair } from '../suggestionRepair.ts'
import { UpdatePolicy } from './UpdatePolicy.ts'

const schema = getAnswerSchema()
const ORIGINAL = 'Ibu pengasuh anak bekerja.'
const WORD = { from: 5, to: 13 }
const SERVER = 'kartu:server'

const read = (ydoc: Y.Doc): PMNode =>
  yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ANSWER_FIELD), schema)

type Person = {
  userId: string
  role: Role
  replica: Y.Doc
  pending: Uint8Array[]
  word: string
  typed: number
  caret: Y.RelativePosition | null
}

function write(person: Person, node: PMNode, ids: readonly string[] = []): void {
  const before = Y.encodeStateVector(person.replica)
  const meta = { mapping: new Map(), isOMark: new Map() }
  person.replica.transact(() => {
    updateYFragment(person.replica, person.replica.getXmlFragment(ANSWER_FIELD), node, meta)
    const suggestions = person.replica.getMap(SUGGESTIONS_FIELD)
    for (const id of ids)
      if (!suggestions.has(id)) suggestions.set(id, { kind: 'replace', createdAt: 1 })
  })
  person.pending.push(Y.encodeStateAsUpdate(person.replica, before))
}

function run(seed: number) {
  const next = random(seed)
  const room = new Y.Doc()
  prosemirrorToYXmlFragment(doc(p(ORIGINAL)), room.getXmlFragment(ANSWER_FIELD))
  const policy = new UpdatePolicy(room)
  const repair = new SuggestionRepair(room)
  room.on('afterTransaction', (transaction: Y.Transaction) => {
    if (transaction.origin === 'client') repair.touched(transaction)
  })
  room.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === SERVER) policy.applyServerUpdate(update)
  })
  const person = (userId: string, role: Role, word: string): Person => {
    const replica = new Y.Doc()
    replica.clientID = 10 + Math.floor(next() * 1000)
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(room))
    return { userId, role, replica, pending: [], word, typed: 0, caret: null }
  }
  const ministry = person('kemnaker', Role.Suggester, 'perawat')
  const editor = person('kemlu', Role.Editor, seed % 2 === 0 ? 'pendamping' : 'pengasuh')
  const who = author('kemnaker')
  const refusals: string[] = []
  const push = (someone: Person) => {
    for (const update of someone.pending.splice(0)) {
      const verdict = policy.check(update, { userId: someone.userId, role: someone.role })
      if (!verdict.ok) {
        refusals.push(
          `${someone.userId}: ${verdict.code} ${verdict.message} on ${show(read(room))}`,
        )
        continue
      }
      Y.applyUpdate(room, update, 'client')
      room.transact(() => {
        for (const client of verdict.newClients) {
          room.getMap(AUTHORS_FIELD).set(String(client), {
            userId: someone.userId,
            name: someone.userId,
            ministryId: someone.userId,
          })
        }
      }, SERVER)
      repair.repair(SERVER)
    }
  }
  const pull = (someone: Person) =>
    Y.applyUpdate(
      someone.replica,
      Y.encodeStateAsUpdate(room, Y.encodeStateVector(someone.replica)),
    )
  const typeLetter = (someone: Person) => {
    const node = read(someone.replica)
    const letter = someone.word.charAt(someone.typed)
    const state = stateOf(node)
    if (someone === ministry) {
      // The caret where the binding restores it: tied to the letter before it.
      const caret = someone.caret
        ? 1 +
          (Y.createAbsolutePositionFromRelativePosition(someone.caret, someone.replica)?.index ?? 0)
        : null
      const [anchor, head] = caret === null ? [WORD.from, wordEnd(node)] : [caret, caret]
      const selected = state.apply(state.tr.setSelection(TextSelection.create(node, anchor, head)))
      const suggested = suggest(selected, selected.tr.insertText(letter), who)
      write(someone, suggested.doc, who.ids)
      const text = (someone.replica.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement).get(
        0,
      ) as Y.XmlText
      someone.caret = Y.createRelativePositionFromTypeIndex(text, suggested.selection.head - 1, -1)
    } else {
      const at = someone.caret
        ? 1 +
          (Y.createAbsolutePositionFromRelativePosition(someone.caret, someone.replica)?.index ?? 0)
        : WORD.from
      const tr = someone.caret
        ? state.tr.insertText(letter, at)
        : state.tr.insertText(letter, WORD.from, wordEnd(node))
      const plan = directEdit(state, tr)
      const after = state.apply(plan.first)
      write(someone, after.doc)
      if (plan.second) write(someone, plan.second(after).doc)
      const text = (someone.replica.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement).get(
        0,
      ) as Y.XmlText
      someone.caret = Y.createRelativePositionFromTypeIndex(text, at, -1)
    }
    someone.typed += 1
  }
  const people = [ministry, editor]
  while (people.some((someone) => someone.typed < someone.word.length)) {
    const someone = people[next() < 0.5 ? 0 : 1] as Person
    if (someone.typed < someone.word.length) typeLetter(someone)
    for (const other of people) {
      if (next() < 0.5) push(other)
      if (next() < 0.5) pull(other)
    }
  }
  for (const someone of people) push(someone)
  for (const someone of people) pull(someone)
  return { answer: read(room), refusals, editorWord: editor.word, ids: who.ids }
}

/** The word after "Ibu " up to a space or someone's suggested insertion. */
function wordEnd(node: PMNode): number {
  let to = WORD.from
  node.descendants((child, pos) => {
    if (!child.isText) return true
    const text = child.text ?? ''
    for (let i = 0; i < text.length; i++) {
      if (pos + i < to) continue
      if (pos + i > to) return false
      if (text[i] === ' ' || child.marks.some((mark) => mark.type.name === 'insertion')) {
        return false
      }
      to += 1
    }
    return false
  })
  return to
}

describe('a suggester and an editor on one word, judged and repaired as the room does', () => {
  it.each(Array.from({ length: 200 }, (_, seed) => seed))('seed %i', (seed) => {
    const { answer, refusals, editorWord, ids } = run(seed)
    const label = show(answer)
    expect(refusals).toEqual([])
    const rejected = ORIGINAL.replace('pengasuh', editorWord)
    expect(asIfAllRejected(answer).textContent, label).toBe(rejected)
    const accepted = decideSuggestions(stateOf(answer), { accept: ids }).doc.textContent
    expect(
      [
        rejected.replace(editorWord, 'perawat'),
        rejected.replace(editorWord, `${editorWord}perawat`),
        rejected.replace(editorWord, `perawat${editorWord}`),
      ],
      label,
    ).toContain(accepted)
  })
})
