/**
 * One word of a card changed by two people at once, through a real server: a suggester replaces
 * it while an editor retypes it, letter by letter, each person's updates held back and delivered
 * at random moments, and each person seeing the server's changes late, as on a busy network.
 * The server repairs the suggestion marks after each update (Room, suggestionRepair.ts); the
 * repair reaches everyone, nothing is refused, and every outcome is whole words: rejecting gives
 * the editor's text, accepting gives the suggester's word in place of the editor's, or next to it.
 */
import { cardDocumentName } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  asIfAllRejected,
  collectSuggestions,
  decideSuggestions,
  directEdit,
  getAnswerSchema,
  SUGGESTIONS_FIELD,
} from '@kartu/schema'
import { at, author, random, show, stateOf, suggest } from '@kartu/schema/testing'
import type { Node as PMNode } from '@tiptap/pm/model'
import { TextSelection } from '@tiptap/pm/state'
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { waitFor } from './helpers/clients.ts'
import { connectRaw, type RawClient } from './helpers/rawClient.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const schema = getAnswerSchema()
const read = (ydoc: Y.Doc): PMNode =>
  yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(ANSWER_FIELD), schema)

/** A person's own replica: edits are written into it and sent when the network lets them. */
type Typist = {
  replica: Y.Doc
  socket: RawClient
  pending: Uint8Array[]
  word: string
  typed: number
}

/** Writes `node` as the editor's binding does, with metadata for new suggestions `ids`. */
function write(typist: Typist, node: PMNode, ids: readonly string[] = []): void {
  const before = Y.encodeStateVector(typist.replica)
  const meta = { mapping: new Map(), isOMark: new Map() }
  typist.replica.transact(() => {
    updateYFragment(typist.replica, typist.replica.getXmlFragment(ANSWER_FIELD), node, meta)
    const suggestions = typist.replica.getMap(SUGGESTIONS_FIELD)
    for (const id of ids) {
      if (!suggestions.has(id)) suggestions.set(id, { kind: 'replace', createdAt: Date.now() })
    }
  })
  typist.pending.push(Y.encodeStateAsUpdate(typist.replica, before))
}

/** What the server sent this person so far reaches their replica. */
function pull(typist: Typist): void {
  const missing = Y.encodeStateAsUpdate(typist.socket.doc, Y.encodeStateVector(typist.replica))
  Y.applyUpdate(typist.replica, missing)
}

function push(typist: Typist): void {
  for (const update of typist.pending.splice(0)) typist.socket.sendUpdate(update)
}

describe('one word changed by a suggester and an editor at once, through the server', () => {
  let seeded: Seeded
  let server: ServerProcess
  const open: RawClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir)
  })
  afterAll(async () => {
    for (const client of open) client.close()
    await server?.stop()
  })
  const connect = async (cardIndex: number, user: string) => {
    const url = `${server.wsUrl}/${cardDocumentName(seeded.cardIds[cardIndex] as string)}`
    const client = await connectRaw(url, seeded.users[user]?.token as string)
    open.push(client)
    await client.synced()
    return client
  }

  // One card per run: a run leaves its suggestion on the card.
  it.each(Array.from({ length: 6 }, (_, i) => i + 1))(
    'leaves whole words on a random schedule (seed %i)',
    async (n) => {
      const next = random(n)
      const cardIndex = n - 1
      const witness = await connect(cardIndex, 'viewer')
      const start = read(witness.doc)
      // The first word of five letters or more, as both people see it.
      const target = /\p{L}{5,}/u.exec(start.textContent)?.[0]
      if (!target) throw new Error('the card has no word to change')
      const from = at(start, target)
      const paragraph = from - start.resolve(from).parentOffset
      const typist = async (user: string, word: string): Promise<Typist> => {
        const socket = await connect(cardIndex, user)
        const replica = new Y.Doc()
        Y.applyUpdate(replica, Y.encodeStateAsUpdate(socket.doc))
        return { replica, socket, pending: [], word, typed: 0 }
      }
      const ministry = await typist('suggester', 'perawat')
      const editor = await typist('kemlu', 'pendamping')
      const who = author(`kemnaker${n}`)
      let caret: Y.RelativePosition | null = null
      const typeLetter = (person: Typist): void => {
        const node = read(person.replica)
        const letter = person.word.charAt(person.typed)
        if (person === ministry) {
          const own = collectSuggestions(node).filter(
            (span) => span.kind === 'insert' && who.ids.includes(span.id),
          )
          const last = own.at(-1)
          let state = stateOf(node)
          const [anchor, head] = last ? [last.to, last.to] : [from, wordEnd(node, from)]
          state = state.apply(state.tr.setSelection(TextSelection.create(node, anchor, head)))
          write(person, suggest(state, state.tr.insertText(letter), who).doc, who.ids)
        } else {
          const state = stateOf(node)
          // The paragraph's content starts at `paragraph`; the caret is an index into its text.
          const position = caret
            ? paragraph +
              (Y.createAbsolutePositionFromRelativePosition(caret, person.replica)?.index ?? 0)
            : from
          const tr = caret
            ? state.tr.insertText(letter, position)
            : state.tr.insertText(letter, from, wordEnd(node, from))
          const plan = directEdit(state, tr)
          const after = state.apply(plan.first)
          write(person, after.doc)
          if (plan.second) write(person, plan.second(after).doc)
          // The caret after the letter, as the binding keeps it: in Yjs, after that letter.
          const text = textAt(person.replica, (caret ? position : from) + 1)
          caret = Y.createRelativePositionFromTypeIndex(text.type, text.index, -1)
        }
        person.typed += 1
      }
      const people = [ministry, editor]
      while (people.some((person) => person.typed < person.word.length)) {
        const person = people[next() < 0.5 ? 0 : 1] as Typist
        if (person.typed < person.word.length) typeLetter(person)
        for (const other of people) {
          if (next() < 0.5) push(other)
          if (next() < 0.3) {
            // Give the server a moment, then let the person see what it sent.
            await new Promise((resolve) => setTimeout(resolve, 20))
            pull(other)
          }
        }
      }
      for (const person of people) push(person)
      // Quiet: every update taken (or refused), the repairs relayed, each replica up to date.
      const sent = (person: Typist) => Y.encodeStateVector(person.replica)
      await waitFor(
        () =>
          people.every((person) => {
            const theirs = Y.decodeStateVector(sent(person))
            const server = Y.decodeStateVector(Y.encodeStateVector(witness.doc))
            return [...theirs].every(([client, clock]) => (server.get(client) ?? 0) >= clock)
          }),
        20_000,
        'the server to take every letter',
      )
      await new Promise((resolve) => setTimeout(resolve, 300))
      for (const person of people) pull(person)

      expect(ministry.socket.rejected).toEqual([])
      expect(editor.socket.rejected).toEqual([])
      const answer = read(witness.doc)
      const label = show(answer)
      for (const person of people) expect(read(person.replica).eq(answer), label).toBe(true)
      const rejected = start.textContent.replace(target, 'pendamping')
      expect(asIfAllRejected(answer).textContent, label).toBe(rejected)
      const accepted = decideSuggestions(stateOf(answer), { accept: who.ids }).doc.textContent
      expect(
        [
          rejected.replace('pendamping', 'perawat'),
          rejected.replace('pendamping', 'pendampingperawat'),
          rejected.replace('pendamping', 'perawatpendamping'),
        ],
        label,
      ).toContain(accepted)
    },
  )
})

/** The Yjs text and index holding the ProseMirror position `pos` (inside one paragraph). */
function textAt(replica: Y.Doc, pos: number): { type: Y.XmlText; index: number } {
  const fragment = replica.getXmlFragment(ANSWER_FIELD)
  const node = read(replica)
  const $pos = node.resolve(pos)
  let block: Y.XmlElement | Y.XmlText = fragment.get($pos.index(0)) as Y.XmlElement
  for (let depth = 1; depth < $pos.depth; depth++) {
    block = (block as Y.XmlElement).get($pos.index(depth)) as Y.XmlElement
  }
  const text = (block as Y.XmlElement).get(0) as Y.XmlText
  return { type: text, index: $pos.parentOffset }
}

/**
 * Where the word starting at `from` ends as a person sees it now: at a space, punctuation or
 * someone's suggested insertion (retyping a word is not deleting a colleague's suggestion).
 */
function wordEnd(node: PMNode, from: number): number {
  let to = from
  node.descendants((child, pos) => {
    if (!child.isText) return true
    const text = child.text ?? ''
    for (let i = 0; i < text.length; i++) {
      if (pos + i < to) continue
      if (pos + i > to) return false
      const inserted = child.marks.some((mark) => mark.type.name === 'insertion')
      if (!/\p{L}/u.test(text.charAt(i)) || inserted) return false
      to += 1
    }
    return true
  })
  return to
}
