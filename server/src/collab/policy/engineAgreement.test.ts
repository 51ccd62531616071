/**
 * The suggestion engine and the server's policy share one definition of a suggester's change
 * ("as if every suggestion were rejected", @kartu/schema), so every edit the engine turns into a
 * suggestion passes the policy: text, paragraph breaks, new list items, pasted paragraphs, joins,
 * format and block changes. Each edit is made in a ProseMirror state, rewritten by the engine,
 * written into a Yjs replica as the editor's binding does (y-tiptap's updateYFragment), and the
 * resulting Yjs update judged by the policy as a suggester's.
 */
import { Role } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  asIfAllAccepted,
  asIfAllRejected,
  collectSuggestions,
  decideSuggestions,
  getAnswerSchema,
  SUGGESTIONS_FIELD,
  suggestTransaction,
} from '@kartu/schema'
import {
  allKinds,
  at,
  author,
  backspace,
  doc,
  type EditKind,
  h2,
  li,
  p,
  paste,
  pick,
  random,
  randomEdit,
  run,
  select,
  show,
  startDoc,
  stateOf,
  suggest,
  typing,
  ul,
} from '@kartu/schema/testing'
import {
  joinBackward,
  joinForward,
  setBlockType,
  splitBlock,
  toggleMark,
} from '@tiptap/pm/commands'
import type { Node as PMNode } from '@tiptap/pm/model'
import { liftListItem, sinkListItem, splitListItem, wrapInList } from '@tiptap/pm/schema-list'
import type { EditorState, Transaction } from '@tiptap/pm/state'
import { ReplaceStep } from '@tiptap/pm/transform'
import {
  initProseMirrorDoc,
  prosemirrorToYXmlFragment,
  updateYFragment,
  yXmlFragmentToProseMirrorRootNode,
} from '@tiptap/y-tiptap'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { UpdatePolicy } from './UpdatePolicy.ts'

const schema = getAnswerSchema()
const SUGGESTER = { userId: 'pmk', role: Role.Suggester }
const node = (name: string) => {
  const type = schema.nodes[name]
  if (!type) throw new Error(`no node ${name}`)
  return type
}

/** A room holding `start` (written by the chair), and a suggester's replica of it. */
function setUp(start: PMNode) {
  const room = new Y.Doc()
  room.clientID = 1
  prosemirrorToYXmlFragment(start, room.getXmlFragment(ANSWER_FIELD))
  room.getMap(AUTHORS_FIELD).set('1', { userId: 'chair', name: 'Ketua', ministryId: 'X' })
  const policy = new UpdatePolicy(room)
  const replica = new Y.Doc()
  replica.clientID = 77
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(room))
  const meta = { mapping: new Map(), isOMark: new Map() }
  const read = () => yXmlFragmentToProseMirrorRootNode(replica.getXmlFragment(ANSWER_FIELD), schema)
  return {
    room,
    state: stateOf(read()),
    /** Writes the suggested state as the binding would, and has the policy judge it. */
    send(state: EditorState, metaEntries: Record<string, string> = {}) {
      const before = Y.encodeStateVector(replica)
      replica.transact(() => {
        updateYFragment(replica, replica.getXmlFragment(ANSWER_FIELD), state.doc, meta)
        for (const id of Object.keys(metaEntries)) {
          replica.getMap(SUGGESTIONS_FIELD).set(id, { kind: 'insert', createdAt: 1 })
        }
      })
      const update = Y.encodeStateAsUpdate(replica, before)
      const verdict = policy.check(update, SUGGESTER)
      if (verdict.ok) {
        Y.applyUpdate(room, update)
        room.getMap(AUTHORS_FIELD).set('77', { userId: 'pmk', name: 'Budi', ministryId: 'PMK' })
      }
      return verdict.ok ? 'ok' : `${verdict.code}: ${verdict.message}`
    },
    read,
  }
}

type Edit = (state: EditorState) => Transaction

const START = doc(
  h2('Pesan kunci'),
  ul(li(p('Satu butir')), li(p('Dua butir'))),
  p('Indonesia melindungi pekerja migran.'),
  p('Kalimat kedua di sini.'),
)

const edits: Array<{ name: string; select: (d: PMNode) => [number, number?]; edit: Edit }> = [
  { name: 'typing a word', select: (d) => [at(d, 'pekerja')], edit: (s) => typing(s, 'para ') },
  {
    name: 'Enter in the middle of a paragraph',
    select: (d) => [at(d, 'pekerja')],
    edit: (s) => run(s, splitBlock),
  },
  {
    name: 'Enter at the end of a list item (a new item)',
    select: (d) => [at(d, 'Dua butir', true)],
    edit: (s) => run(s, splitListItem(node('listItem'))),
  },
  {
    name: 'pasting two paragraphs',
    select: (d) => [at(d, 'Kalimat')],
    edit: (s) => paste(s, p('Tempel satu.'), p('Tempel dua.')),
  },
  {
    name: 'bold on a word',
    select: (d) => [at(d, 'pekerja'), at(d, 'pekerja', true)],
    edit: (s) => {
      const bold = schema.marks.bold
      if (!bold) throw new Error('no bold')
      return run(s, toggleMark(bold))
    },
  },
  {
    name: 'Backspace at the start of a paragraph (join)',
    select: (d) => [at(d, 'Kalimat')],
    edit: (s) => run(s, joinBackward),
  },
  {
    name: 'Delete at the end of a paragraph (join)',
    select: (d) => [at(d, 'migran.', true)],
    edit: (s) => run(s, joinForward),
  },
  {
    name: 'a paragraph made a heading',
    select: (d) => [at(d, 'Kalimat')],
    edit: (s) => run(s, setBlockType(node('heading'), { level: 3 })),
  },
  {
    name: 'a paragraph put in a list',
    select: (d) => [at(d, 'Kalimat')],
    edit: (s) => run(s, wrapInList(node('bulletList'))),
  },
  {
    name: 'a list item indented',
    select: (d) => [at(d, 'Dua')],
    edit: (s) => run(s, sinkListItem(node('listItem'))),
  },
  {
    name: 'a list item outdented out of the list',
    select: (d) => [at(d, 'Dua')],
    edit: (s) => run(s, liftListItem(node('listItem'))),
  },
  {
    name: 'a deletion across two paragraphs',
    select: (d) => [at(d, 'pekerja'), at(d, 'kedua', true)],
    edit: (s) => backspace(s),
  },
]

describe('the policy accepts every suggestion the engine makes', () => {
  for (const { name, select: range, edit } of edits) {
    it(name, () => {
      const { state, send, read } = setUp(START)
      const who = author('pmk')
      const [from, to] = range(state.doc)
      const selected = select(state, from, to ?? from)
      const suggested = suggest(selected, edit(selected), who)
      expect(show(suggested.doc)).not.toBe(show(START))
      const ids = Object.fromEntries(who.ids.map((id) => [id, id]))
      expect(send(suggested, ids)).toBe('ok')
      // What the room holds now still reads, with every suggestion rejected, as the start.
      expect(asIfAllRejected(read()).eq(asIfAllRejected(START))).toBe(true)
    })
  }
})

describe('another person’s structural suggestions are theirs', () => {
  /** A room where kemlu (client 9) suggested a join, a heading and bold; pmk acts after it. */
  function withOthersSuggestions() {
    const format = schema.marks.formatChange
    const bold = schema.marks.bold
    if (!format || !bold) throw new Error('schema')
    const start = doc(
      p('Satu.'),
      node('paragraph').create({ joinSuggestion: 'k-join' }, schema.text('Dua.')),
      node('heading').create(
        { level: 2, formatSuggestion: { id: 'k-head', type: 'paragraph', attrs: {} } },
        schema.text('Judul'),
      ),
      p(schema.text('tebal', [bold.create(), format.create({ id: 'k-bold', before: [] })])),
    )
    const harness = setUp(start)
    const { room } = harness
    const kemlu = new Y.Doc()
    kemlu.clientID = 9
    Y.applyUpdate(kemlu, Y.encodeStateAsUpdate(room))
    kemlu.transact(() => {
      for (const id of ['k-join', 'k-head', 'k-bold']) {
        kemlu.getMap(SUGGESTIONS_FIELD).set(id, { kind: 'format', createdAt: 1 })
      }
    })
    Y.applyUpdate(room, Y.encodeStateAsUpdate(kemlu))
    room.getMap(AUTHORS_FIELD).set('9', { userId: 'kemlu', name: 'Sari', ministryId: 'KEMLU' })
    return harness
  }

  const changes: Array<[string, (d: PMNode) => PMNode]> = [
    [
      'removing their join',
      (d) => {
        let out = d
        d.descendants((n, pos) => {
          if (n.attrs.joinSuggestion) {
            const tr = stateOf(d).tr.setNodeMarkup(pos, n.type, {
              ...n.attrs,
              joinSuggestion: null,
            })
            out = tr.doc
          }
          return true
        })
        return out
      },
    ],
    [
      'dropping their heading back to a paragraph (a rejection only the chair makes)',
      (d) => {
        let out = d
        d.descendants((n, pos) => {
          if (n.attrs.formatSuggestion) {
            out = stateOf(d).tr.setNodeMarkup(pos, node('paragraph'), {}).doc
          }
          return true
        })
        return out
      },
    ],
    [
      'taking their bold off',
      (d) => {
        const from = at(d, 'tebal')
        const tr = stateOf(d).tr
        tr.removeMark(from, from + 5, schema.marks.bold)
        tr.removeMark(from, from + 5, schema.marks.formatChange)
        return tr.doc
      },
    ],
  ]

  for (const [name, change] of changes) {
    it(`refuses a suggester ${name}`, () => {
      const harness = withOthersSuggestions()
      const roomBefore = Y.encodeStateVector(harness.room)
      const changed = change(harness.read())
      expect(changed.eq(harness.read())).toBe(false)
      const verdict = harness.send(stateOf(changed))
      // The text "as if all rejected" is the same: only the ownership check can refuse it.
      expect(verdict).toMatch(/^not_own_suggestion/)
      expect(Y.encodeStateVector(harness.room)).toEqual(roomBefore)
    })
  }
})

describe('random edits by a suggester and the chair, through Yjs and the policy (seeded)', () => {
  /**
   * A replica of the room for one person, reading and writing as the editor's binding does: the
   * binding knows which Yjs element each unchanged ProseMirror node came from, and writes only
   * what changed (without that mapping its diff would rewrite neighbouring blocks).
   */
  function replicaOf(room: Y.Doc, clientId: number) {
    const replica = new Y.Doc()
    replica.clientID = clientId
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(room))
    let meta = { mapping: new Map(), isOMark: new Map() }
    return {
      doc: replica,
      read: () => {
        const init = initProseMirrorDoc(replica.getXmlFragment(ANSWER_FIELD), schema)
        meta = init.meta as typeof meta
        return init.doc
      },
      /** The update that writes `next` (and metadata for `ids`) into the replica. */
      write(next: PMNode, ids: readonly string[]): Uint8Array {
        const sv = Y.encodeStateVector(replica)
        replica.transact(() => {
          updateYFragment(replica, replica.getXmlFragment(ANSWER_FIELD), next, meta)
          const map = replica.getMap(SUGGESTIONS_FIELD)
          for (const id of ids) if (!map.has(id)) map.set(id, { kind: 'insert', createdAt: 1 })
        })
        return Y.encodeStateAsUpdate(replica, sv)
      },
      pull() {
        Y.applyUpdate(replica, Y.encodeStateAsUpdate(room, Y.encodeStateVector(replica)))
      },
    }
  }

  /**
   * Edits the engine did not make as asked, as `kind: why`, over every run: dropped
   * (onUnsuggestable: the engine could not propose them, or the proposal would have changed
   * another person's suggestion, which the server refuses) or with the selection kept
   * (onSelectionKept). A sweep prints the tally.
   */
  const held: string[] = []
  afterAll(() => {
    if (!sweep) return
    const tally = new Map<string, number>()
    for (const entry of held) tally.set(entry, (tally.get(entry) ?? 0) + 1)
    console.log(`edits not made as asked:\n${[...tally].sort().join('\n')}`)
  })
  /** Typing never is: a typed letter, a line break or a new paragraph always goes in. */
  const typingKinds = new Set(['type', 'enter', 'hardBreak'])

  const run = (seed: number, names: readonly string[], kinds: readonly EditKind[]) => {
    const rng = random(seed)
    const room = new Y.Doc()
    room.clientID = 1
    prosemirrorToYXmlFragment(startDoc(), room.getXmlFragment(ANSWER_FIELD))
    room.getMap(AUTHORS_FIELD).set('1', { userId: 'chair', name: 'Ketua', ministryId: 'X' })
    const policy = new UpdatePolicy(room)
    const people = names.map((name, index) => ({
      name,
      userId: `user-${name}`,
      author: author(name),
      replica: replicaOf(room, 10 + index),
    }))
    const chair = replicaOf(room, 2)
    let base = asIfAllRejected(chair.read())
    const judge = (update: Uint8Array, userId: string, role: Role, label: string) => {
      const verdict = policy.check(update, { userId, role })
      if (!verdict.ok) expect.fail(`${label}: refused ${verdict.code}: ${verdict.message}`)
      Y.applyUpdate(room, update)
      for (const client of verdict.newClients) {
        room.getMap(AUTHORS_FIELD).set(String(client), { userId, name: userId, ministryId: 'X' })
      }
      const bound = Y.encodeStateAsUpdate(room)
      policy.applyServerUpdate(bound)
    }
    for (let step = 0; step < 40; step++) {
      if (rng() < 0.1) {
        chair.pull()
        const state = stateOf(chair.read())
        const ids = [...new Set(collectSuggestions(state.doc).map((span) => span.id))]
        const chosen = ids.filter(() => rng() < 0.5)
        const decided = decideSuggestions(state, {
          accept: rng() < 0.5 ? chosen : [],
          reject: rng() < 0.5 ? [] : chosen,
        })
        judge(chair.write(decided.doc, []), 'chair', Role.Chair, `seed ${seed} step ${step} chair`)
        base = asIfAllRejected(decided.doc)
        continue
      }
      const person = pick(rng, people)
      person.replica.pull()
      const edit = randomEdit(rng, stateOf(person.replica.read(), 1), kinds)
      if (!edit) continue
      const kind = edit.name.split(' ')[0] ?? edit.name
      const heldBefore = held.length
      let selectionKept = false
      const suggested = edit.state.apply(
        suggestTransaction(edit.state, edit.tr, {
          ...person.author,
          onSelectionKept: () => {
            selectionKept = true
            held.push(`${kind}: selection kept, text proposed after it`)
          },
          onUnsuggestable: (_tr, error) => {
            held.push(`${kind}: ${error instanceof Error ? error.name : String(error)}`)
          },
        }),
      )
      const label = `seed ${seed} step ${step}: ${person.name} ${edit.name} on ${show(edit.state.doc)}`
      if (typingKinds.has(kind)) {
        expect(held.slice(heldBefore), label).toEqual([])
      }
      if (selectionKept) {
        // What was typed or pasted over the selection is proposed whole, next to it.
        const typed = edit.tr.steps
          .map((step) =>
            step instanceof ReplaceStep
              ? step.slice.content.textBetween(0, step.slice.content.size)
              : '',
          )
          .join('')
        expect(typed.length, label).toBeGreaterThan(0)
        expect(asIfAllAccepted(suggested.doc).textContent, label).toContain(typed)
      }
      judge(
        person.replica.write(suggested.doc, person.author.ids),
        person.userId,
        Role.Suggester,
        label,
      )
      const stored = yXmlFragmentToProseMirrorRootNode(room.getXmlFragment(ANSWER_FIELD), schema)
      expect(asIfAllRejected(stored).eq(base), `${label}: the base moved`).toBe(true)
      asIfAllAccepted(stored).check()
    }
  }

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    'one suggester and the chair, every kind of edit: seed %i',
    (seed) => {
      run(seed, ['a'], allKinds)
    },
  )

  /**
   * Seeds 1 to 12, and the seeds of a 300-seed sweep that once found a refusal or a resolver
   * disagreement and no longer do (a paste splitting a list, a rejected list item inside an
   * accepted deletion, the binding writing a nested list again): each stays fixed.
   */
  const threeSuggesterSeeds = [
    ...Array.from({ length: 12 }, (_, i) => i + 1),
    19,
    33,
    49,
    60,
    87,
    90,
    101,
    106,
    120,
    129,
    152,
    182,
    218,
    254,
    298,
    // Proposals that changed another person's suggestion (lifting, listing, deleting or pasting
    // over others' suggested structure), now tried another way or not made.
    338,
    360,
    361,
    369,
    373,
    416,
    483,
    589,
    646,
    745,
    750,
    907,
    920,
    999,
    // Text typed or pasted over a selection holding others' suggestions: proposed next to it.
    287,
    636,
    859,
    // The binding re-using one's own proposed characters when pasting over them.
    30,
    70,
    115,
    127,
    209,
    210,
    212,
    240,
    251,
    252,
    262,
    290,
  ].sort((a, b) => a - b)

  /**
   * KARTU_SWEEP_SEEDS=301-1000 runs those seeds instead (a sweep for new cases; the ones that
   * find something and are then fixed join the list above).
   */
  const sweep = /^(\d+)-(\d+)$/.exec(process.env.KARTU_SWEEP_SEEDS ?? '')
  const seeds = sweep
    ? Array.from(
        { length: Number(sweep[2]) - Number(sweep[1]) + 1 },
        (_, i) => Number(sweep[1]) + i,
      )
    : threeSuggesterSeeds

  it.each(seeds)(
    'three suggesters and the chair, every kind of edit, inside each other’s suggestions: seed %i',
    (seed) => {
      run(seed, ['a', 'b', 'c'], allKinds)
    },
  )
})
