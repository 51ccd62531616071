import { ANSWER_FIELD, AUTHORS_FIELD, type Author } from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { EditRecord } from '../store/types.ts'
import { editOfUpdate } from './editRecorder.ts'
import { compareDocuments } from './versionCompare.ts'

const PEOPLE: Record<string, Author> = {
  ani: { userId: 'ani', name: 'Ani', ministryId: 'KP2MI' },
  budi: { userId: 'budi', name: 'Budi', ministryId: 'KEMLU' },
  citra: { userId: 'citra', name: 'Citra', ministryId: 'KEMNAKER' },
}

/**
 * A card as the room keeps it: each person edits through their own Yjs client, the room binds
 * the client to them (authors map) and records what each update inserted and deleted.
 */
class CardHistory {
  readonly room = new Y.Doc()
  readonly edits: EditRecord[] = []
  private clock = 1_000
  private readonly clients = new Map<string, Y.Doc>()

  as(userId: string, change: (answer: Y.XmlFragment) => void): void {
    let client = this.clients.get(userId)
    if (!client) {
      client = new Y.Doc()
      this.clients.set(userId, client)
      this.room.getMap<Author>(AUTHORS_FIELD).set(String(client.clientID), PEOPLE[userId] as Author)
    }
    Y.applyUpdate(client, Y.encodeStateAsUpdate(this.room, Y.encodeStateVector(client)))
    const before = Y.encodeStateVector(client)
    client.transact(() => change(client.getXmlFragment(ANSWER_FIELD)))
    const update = Y.encodeStateAsUpdate(client, before)
    Y.applyUpdate(this.room, update)
    this.clock += 1_000
    this.edits.push({ cardId: 'c1', at: this.clock, userId, ...editOfUpdate(update, this.room) })
  }

  /** The card as a version holds it: the whole document, read back into a fresh one. */
  version(): Y.Doc {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.room))
    return doc
  }
}

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph')
  element.insert(0, [new Y.XmlText(text)])
  return element
}

function textIn(answer: Y.XmlFragment, index: number): Y.XmlText {
  return (answer.get(index) as Y.XmlElement).get(0) as Y.XmlText
}

/** The comparison, without the Yjs ids of each change (checked on their own below). */
function compare(card: CardHistory, older: Y.Doc, newer: Y.Doc) {
  const { lines, changes } = compareWithIds(card, older, newer)
  return {
    lines: lines.map((line) => ({
      ...line,
      segments: line.segments.map(({ ids: _ids, ...segment }) => segment),
    })),
    changes: changes.map(({ ids: _ids, ...change }) => change),
  }
}

function compareWithIds(card: CardHistory, older: Y.Doc, newer: Y.Doc) {
  return compareDocuments(older, newer, card.edits, (userId) => {
    const person = PEOPLE[userId] as Author
    return { userId, name: person.name, ministryId: person.ministryId }
  })
}

describe('compareDocuments', () => {
  it('shows a word changed letter by letter as the whole old word replaced, by who typed it', () => {
    const card = new CardHistory()
    card.as('ani', (answer) =>
      answer.insert(0, [paragraph('Proses penempatan dipersingkat menjadi 30 hari.')]),
    )
    const older = card.version()
    // Budi keeps "diper" and retypes the rest: "dipercepat".
    card.as('budi', (answer) => {
      const text = textIn(answer, 0)
      const at = 'Proses penempatan diper'.length
      text.delete(at, 'singkat'.length)
      text.insert(at, 'cepat')
    })
    const { lines, changes } = compare(card, older, card.version())
    expect(lines).toHaveLength(1)
    expect(lines[0]?.segments.map((s) => [s.kind, s.text, s.author?.ministryId ?? null])).toEqual([
      ['same', 'Proses penempatan ', null],
      ['delete', 'dipersingkat', 'KEMLU'],
      ['insert', 'dipercepat', 'KEMLU'],
      ['same', ' menjadi 30 hari.', null],
    ])
    expect(changes.map((c) => c.kind)).toEqual(['delete', 'insert'])
    expect(changes.every((c) => typeof c.at === 'number')).toBe(true)
  })

  it('names the deleter of one person’s words and the inserter of another’s, with their times', () => {
    const card = new CardHistory()
    card.as('ani', (answer) => answer.insert(0, [paragraph('Pekerja migran mendapat orientasi.')]))
    const older = card.version()
    card.as('budi', (answer) => {
      const text = textIn(answer, 0)
      const at = 'Pekerja migran mendapat '.length
      text.delete(at, 'orientasi'.length)
    })
    card.as('citra', (answer) => {
      const text = textIn(answer, 0)
      text.insert('Pekerja migran mendapat '.length, 'pelatihan')
    })
    const { changes } = compare(card, older, card.version())
    expect(changes).toEqual([
      {
        kind: 'delete',
        text: 'orientasi',
        author: { userId: 'budi', name: 'Budi', ministryId: 'KEMLU' },
        at: card.edits[1]?.at,
      },
      {
        kind: 'insert',
        text: 'pelatihan',
        author: { userId: 'citra', name: 'Citra', ministryId: 'KEMNAKER' },
        at: card.edits[2]?.at,
      },
    ])
  })

  it('keeps two people’s words typed one after the other as two changes, each with its name', () => {
    const card = new CardHistory()
    card.as('ani', (answer) => answer.insert(0, [paragraph('Pelatihan selama 30 hari.')]))
    const older = card.version()
    card.as('budi', (answer) => {
      const text = textIn(answer, 0)
      text.delete('Pelatihan selama '.length, '30 hari.'.length)
      text.insert('Pelatihan selama '.length, '45 hari kerja.')
    })
    card.as('citra', (answer) => {
      const text = textIn(answer, 0)
      text.insert(text.length, ' Materi mencakup hak pekerja.')
    })
    const { changes } = compare(card, older, card.version())
    expect(changes.map((c) => [c.kind, c.text, c.author?.userId])).toEqual([
      ['delete', '30 hari.', 'budi'],
      ['insert', '45 hari kerja.', 'budi'],
      ['insert', ' Materi mencakup hak pekerja.', 'citra'],
    ])
  })

  it('gives each change the Yjs ids of its characters in the newer document', () => {
    const card = new CardHistory()
    card.as('ani', (answer) => answer.insert(0, [paragraph('Pekerja migran mendapat orientasi.')]))
    const older = card.version()
    card.as('budi', (answer) => {
      const text = textIn(answer, 0)
      text.delete('Pekerja migran mendapat '.length, 'orientasi'.length)
      text.insert('Pekerja migran mendapat '.length, 'pelatihan')
    })
    const newer = card.version()
    const { changes } = compareWithIds(card, older, newer)
    const text = textIn(newer.getXmlFragment(ANSWER_FIELD), 0)
    // Where the ids point to, in the newer document: the inserted word, and the place of the gone one.
    const textAt = ([client, clock, length]: [number, number, number]) => {
      const start = Y.createAbsolutePositionFromRelativePosition(
        Y.createRelativePositionFromJSON({ item: { client, clock } }),
        newer,
      )
      return start ? text.toString().slice(start.index, start.index + length) : null
    }
    const inserted = changes.find((change) => change.kind === 'insert')
    expect(inserted?.ids?.map(textAt)).toEqual(['pelatihan'])
    const deleted = changes.find((change) => change.kind === 'delete')
    const [first] = deleted?.ids ?? []
    const place = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON({ item: { client: first?.[0], clock: first?.[1] } }),
      newer,
    )
    // Right beside the word that replaced it (Yjs orders the tombstones and the new word).
    expect([
      'Pekerja migran mendapat '.length,
      'Pekerja migran mendapat pelatihan'.length,
    ]).toContain(place?.index)
  })

  it('shows paragraphs added and removed as whole lines, and ignores what came and went between', () => {
    const card = new CardHistory()
    card.as('ani', (answer) =>
      answer.insert(0, [paragraph('Paragraf pertama.'), paragraph('Paragraf kedua.')]),
    )
    const older = card.version()
    card.as('budi', (answer) => answer.delete(1, 1))
    card.as('citra', (answer) => answer.insert(1, [paragraph('Paragraf baru.')]))
    // Typed and removed again between the two versions: not a change of either.
    card.as('citra', (answer) => textIn(answer, 1).insert(0, 'sementara '))
    card.as('citra', (answer) => textIn(answer, 1).delete(0, 'sementara '.length))
    const { lines } = compare(card, older, card.version())
    expect(lines.map((line) => [line.state, line.segments.map((s) => s.text).join('')])).toEqual([
      ['same', 'Paragraf pertama.'],
      ['insert', 'Paragraf baru.'],
      ['delete', 'Paragraf kedua.'],
    ])
    expect(lines[1]?.segments[0]?.author?.userId).toBe('citra')
    expect(lines[2]?.segments[0]?.author?.userId).toBe('budi')
  })

  it('shows bold added as a format change by who made it, and review marks as no change', () => {
    const card = new CardHistory()
    card.as('ani', (answer) => answer.insert(0, [paragraph('Tugas atase ketenagakerjaan.')]))
    const older = card.version()
    card.as('budi', (answer) => textIn(answer, 0).format(0, 'Tugas'.length, { bold: {} }))
    // A comment anchored on a word is a mark in Yjs, not a change of the text.
    card.as('citra', (answer) =>
      textIn(answer, 0).format(6, 'atase'.length, { 'comment--AAAAAAAA': { threadId: 't1' } }),
    )
    const { lines, changes } = compare(card, older, card.version())
    expect(lines[0]?.segments.map((s) => [s.kind, s.text])).toEqual([
      ['format', 'Tugas'],
      ['same', ' atase ketenagakerjaan.'],
    ])
    expect(changes).toEqual([
      {
        kind: 'format',
        text: 'Tugas',
        format: ['bold'],
        author: { userId: 'budi', name: 'Budi', ministryId: 'KEMLU' },
        at: card.edits[1]?.at,
      },
    ])
  })

  it('finds nothing changed between a version and itself', () => {
    const card = new CardHistory()
    card.as('ani', (answer) => answer.insert(0, [paragraph('Tidak berubah.')]))
    const { lines, changes } = compare(card, card.version(), card.version())
    expect(changes).toEqual([])
    expect(lines.map((line) => line.segments)).toEqual([
      [{ kind: 'same', text: 'Tidak berubah.', author: null, at: null }],
    ])
  })

  it('lists items keep their list and depth', () => {
    const card = new CardHistory()
    card.as('ani', (answer) => {
      const list = new Y.XmlElement('bulletList')
      const item = new Y.XmlElement('listItem')
      item.insert(0, [paragraph('Butir satu')])
      list.insert(0, [item])
      answer.insert(0, [list])
    })
    const older = new Y.Doc()
    const { lines } = compare(card, older, card.version())
    expect(lines).toEqual([
      {
        block: 'paragraph',
        level: null,
        list: 'bullet',
        depth: 1,
        state: 'insert',
        segments: [
          {
            kind: 'insert',
            text: 'Butir satu',
            author: { userId: 'ani', name: 'Ani', ministryId: 'KP2MI' },
            at: card.edits[0]?.at,
          },
        ],
      },
    ])
  })
})
