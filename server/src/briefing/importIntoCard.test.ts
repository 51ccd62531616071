import { randomBytes } from 'node:crypto'
import { cardDocumentName, type Member, type Ministry, Role } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  type Author,
  asIfAllAccepted,
  asIfAllRejected,
  BLOCK_BREAK,
  CommentField,
  cardProblems,
  getAnswerSchema,
  SUGGESTIONS_FIELD,
  SuggestionKind,
  type SuggestionMeta,
  THREADS_FIELD,
  ThreadField,
} from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import { zipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { HttpError } from '../api/errors.ts'
import { AnswerDocument } from '../collab/policy/answerDocument.ts'
import { RoomManager } from '../collab/RoomManager.ts'
import { CardVersions } from '../history/cardVersions.ts'
import { recordingLogger } from '../testing/collabFixtures.ts'
import { importDemoDeck, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import {
  DRAFT_ACCEPTED,
  DRAFT_AUTHORS,
  DRAFT_REJECTED,
  docxFromLibreOffice,
  docxOf,
  LIBREOFFICE_ACCEPTED,
  LIBREOFFICE_DRAFT,
  LIBREOFFICE_REJECTED,
  packageOf,
  runLibreOfficeTests,
  wordDraft,
  zipOf,
} from './docxImportFixtures.ts'
import { DOCX_LIMITS, DocxErrorCode, DocxImportError } from './docxRead.ts'
import {
  BEFORE_IMPORT_VERSION,
  CardImport,
  ImportMode,
  wordAuthorResolver,
} from './importIntoCard.ts'

const schema = getAnswerSchema()

/** The importer and two members whose names are those of the draft's Word authors. */
const PEOPLE = {
  chair: { id: 'u-ratna', name: 'Ratna Wulandari', ministryId: 'KEMENKO_POLKAM', role: Role.Chair },
  member: {
    id: 'u-budi',
    name: DRAFT_AUTHORS.member,
    ministryId: 'KEMENKO_PMK',
    role: Role.Suggester,
  },
  commenter: {
    id: 'u-sari',
    name: DRAFT_AUTHORS.commenter,
    ministryId: 'KEMLU',
    role: Role.Editor,
  },
} as const

const authorOf = (person: (typeof PEOPLE)[keyof typeof PEOPLE]): Author => ({
  userId: person.id,
  name: person.name,
  ministryId: person.ministryId,
})

const GUEST: Author = {
  userId: `imported:${DRAFT_AUTHORS.guest}`,
  name: `imported: ${DRAFT_AUTHORS.guest}`,
  ministryId: '',
}
const OFFICE: Author = { userId: 'imported:KP2MI', name: 'imported: KP2MI', ministryId: 'KP2MI' }

function lines(doc: PMNode): string[] {
  const out: string[] = []
  doc.descendants((node) => {
    if (!node.isTextblock) return true
    out.push(node.textContent.replaceAll(BLOCK_BREAK, ''))
    return false
  })
  return out
}

const answerOf = (doc: Y.Doc) => new AnswerDocument(schema).of(doc.getXmlFragment(ANSWER_FIELD))

function authors(doc: Y.Doc): Y.Map<Author> {
  return doc.getMap<Author>(AUTHORS_FIELD)
}

/** Who suggested: the owner of the clientID of the suggestion's entry. */
function suggester(doc: Y.Doc, id: string): Author | undefined {
  const item = doc.getMap(SUGGESTIONS_FIELD)._map.get(id)
  return item ? authors(doc).get(String(item.id.client)) : undefined
}

/** The answer's live text, by the user id of whoever holds each character. */
function textByAuthor(doc: Y.Doc): Map<string, string> {
  const out = new Map<string, string>()
  const visit = (type: unknown) => {
    if (type instanceof Y.XmlText) {
      for (let item = type._start; item !== null; item = item.right) {
        if (item.deleted || !(item.content instanceof Y.ContentString)) continue
        const who = authors(doc).get(String(item.id.client))?.userId ?? '?'
        out.set(who, (out.get(who) ?? '') + item.content.str)
      }
      return
    }
    if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) {
      for (const child of type.toArray()) visit(child)
    }
  }
  visit(doc.getXmlFragment(ANSWER_FIELD))
  return out
}

type ThreadRead = {
  quote: unknown
  resolved: unknown
  mentions: unknown
  comments: Array<{ author: string | undefined; body: unknown }>
}

/** The card's threads, by quote (a map's order is not the order its entries were made in). */
function threadsOf(doc: Y.Doc): ThreadRead[] {
  const threads = [...doc.getMap<Y.Map<unknown>>(THREADS_FIELD).values()].map((thread) => {
    const comments = thread.get(ThreadField.Comments) as Y.Array<Y.Map<unknown>>
    return {
      quote: thread.get(ThreadField.Quote),
      resolved: thread.get(ThreadField.Resolved),
      mentions: (thread.get(ThreadField.Mentions) as Y.Array<string>).toArray(),
      comments: comments.toArray().map((comment) => ({
        author: authors(doc).get(String(comment._item?.id.client))?.userId,
        body: comment.get(CommentField.Body),
      })),
    }
  })
  return threads.sort((a, b) => String(a.quote).localeCompare(String(b.quote)))
}

describe('CardImport', () => {
  let temp: TempStorage
  let rooms: RoomManager
  let cardImport: CardImport
  let deckId: string
  let cardId: string
  let secondCardId: string

  beforeEach(async () => {
    temp = await openTempStorage()
    const { repository, documents } = temp.storage
    const imported = await importDemoDeck(temp)
    deckId = imported.deckId
    cardId = imported.cardIds[0] as string
    secondCardId = imported.cardIds[1] as string
    for (const person of Object.values(PEOPLE)) {
      await repository.createUser({
        id: person.id,
        email: `${person.id}@kartu.test`,
        name: person.name,
        ministryId: person.ministryId,
        passwordHash: null,
      })
      await repository.setMember(deckId, person.id, person.role)
    }
    const logger = recordingLogger()
    rooms = new RoomManager({
      store: documents,
      logger,
      compactAfterUpdates: 1000,
      unloadDelayMs: 0,
    })
    cardImport = new CardImport(rooms, new CardVersions(repository, documents, logger), repository)
  })

  afterEach(async () => {
    await rooms.closeAll(1000, 'test over')
    await temp.cleanup()
  })

  /**
   * The card as stored: the room is released and unloads once stored, and `acquire` waits for
   * that, then loads what the store holds.
   */
  async function stored(id = cardId): Promise<Y.Doc> {
    const room = await rooms.acquire(cardDocumentName(id))
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
    rooms.release(room)
    return doc
  }

  /** Everything kept about the card: its document as stored, its versions and edits. */
  async function fingerprint(id = cardId): Promise<string> {
    const { repository, documents } = temp.storage
    const document = await documents.loadDocument(cardDocumentName(id))
    return JSON.stringify({
      snapshot: document.snapshot ? Buffer.from(document.snapshot).toString('base64') : null,
      updates: document.updates.map((update) => Buffer.from(update).toString('base64')),
      lastSeq: document.lastSeq,
      versions: (await repository.listVersions(id)).length,
      edits: (await repository.listEdits(id, 0, Date.now() + 1000)).length,
    })
  }

  const importDraft = async (mode: ImportMode, id = cardId) =>
    cardImport.importIntoCard({
      cardId: id,
      userId: PEOPLE.chair.id,
      bytes: await docxOf(wordDraft()),
      mode,
    })

  it('replaces the answer: text, formatting, suggestions by their Word authors, threads with replies', async () => {
    const before = await stored()
    const oldText = lines(answerOf(before))
    expect(oldText.join('').length).toBeGreaterThan(0)

    const result = await importDraft(ImportMode.Replace)
    expect(result).toEqual({ suggestions: 5, threads: 2, paragraphs: 15 })

    const doc = await stored()
    const answer = answerOf(doc)
    expect(cardProblems(schema, doc)).toEqual([])
    expect(lines(asIfAllRejected(answer))).toEqual(DRAFT_REJECTED)
    expect(lines(asIfAllAccepted(answer))).toEqual(DRAFT_ACCEPTED)
    expect(answer.child(0).type.name).toBe('heading')
    expect(answer.child(4).type.name).toBe('bulletList')
    expect(answer.child(5).type.name).toBe('orderedList')

    // Each suggestion's entry is held by its Word author's client, bound to who they are here.
    const entries = [...doc.getMap<SuggestionMeta>(SUGGESTIONS_FIELD).entries()].map(
      ([id, meta]) => [
        meta.kind,
        suggester(doc, id)?.userId,
        new Date(meta.createdAt).toISOString(),
      ],
    )
    expect(entries.sort()).toEqual(
      [
        [SuggestionKind.Insert, PEOPLE.member.id, '2025-03-01T10:00:00.000Z'],
        [SuggestionKind.Replace, GUEST.userId, '2025-03-01T11:00:00.000Z'],
        [SuggestionKind.Split, OFFICE.userId, '2025-03-01T12:00:00.000Z'],
        [SuggestionKind.Join, GUEST.userId, '2025-03-01T13:00:00.000Z'],
        [SuggestionKind.Delete, GUEST.userId, '2025-03-01T14:00:00.000Z'],
      ].sort(),
    )
    const bound = [...authors(doc).values()]
    expect(bound).toContainEqual(authorOf(PEOPLE.chair))
    expect(bound).toContainEqual(authorOf(PEOPLE.member))
    expect(bound).toContainEqual(GUEST)
    expect(bound).toContainEqual(OFFICE)

    // The words: no one's changed text is the importer's; inserted words are their author's.
    const text = textByAuthor(doc)
    expect(text.get(PEOPLE.member.id)).toBe(' dan berkelanjutan')
    expect(text.get(GUEST.userId)).toBe('lebih dari ')
    expect(text.get(OFFICE.userId)).toBe(`${BLOCK_BREAK}Kalimat tambahan.`)
    expect(text.get(PEOPLE.chair.id)).toContain('Indonesia ')
    expect(text.get(PEOPLE.chair.id)).not.toContain('berkelanjutan')

    expect(threadsOf(doc)).toEqual([
      {
        quote: '4 juta',
        resolved: false,
        mentions: [],
        comments: [
          { author: PEOPLE.commenter.id, body: 'Mohon cek angka ini.' },
          { author: PEOPLE.member.id, body: 'Sudah dicek dengan data KP2MI.' },
        ],
      },
      {
        quote: 'Penutup.',
        resolved: true,
        mentions: [],
        comments: [{ author: OFFICE.userId, body: 'Setuju.' }],
      },
    ])

    // The answer before is kept, and the import is in the card's edits, as the chair's.
    const { repository } = temp.storage
    const [version] = (await repository.listVersions(cardId)).filter(
      (v) => v.name === BEFORE_IMPORT_VERSION,
    )
    const kept = await repository.getVersion(cardId, version?.id ?? '')
    const keptDoc = new Y.Doc()
    Y.applyUpdate(keptDoc, kept?.state ?? new Uint8Array())
    expect(lines(answerOf(keptDoc))).toEqual(oldText)
    expect((await repository.listEdits(cardId, 0, Date.now() + 1000)).map((e) => e.userId)).toEqual(
      [PEOPLE.chair.id],
    )
  })

  it('appends after the existing blocks, which stay the same Yjs items', async () => {
    const before = await stored()
    const fragment = before.getXmlFragment(ANSWER_FIELD)
    const existing = fragment.toArray().map((item) => (item as Y.XmlElement)._item?.id)
    const oldAnswer = answerOf(before)

    await importDraft(ImportMode.Append)

    const doc = await stored()
    const after = doc.getXmlFragment(ANSWER_FIELD).toArray()
    expect(after.slice(0, existing.length).map((item) => (item as Y.XmlElement)._item?.id)).toEqual(
      existing,
    )
    const answer = answerOf(doc)
    expect(answer.childCount).toBe(oldAnswer.childCount + 12)
    expect(lines(asIfAllAccepted(answer))).toEqual([...lines(oldAnswer), ...DRAFT_ACCEPTED])
    expect(cardProblems(schema, doc)).toEqual([])
    expect(doc.getMap(SUGGESTIONS_FIELD).size).toBe(5)
    // Nothing was replaced: no version was kept for it.
    const versions = await temp.storage.repository.listVersions(cardId)
    expect(versions.filter((v) => v.name === BEFORE_IMPORT_VERSION)).toEqual([])
  })

  it('replacing again drops the entries of the suggestions it replaced and keeps their threads', async () => {
    await importDraft(ImportMode.Replace)
    const first = await stored()
    const firstIds = [...first.getMap(SUGGESTIONS_FIELD).keys()]
    await importDraft(ImportMode.Replace)
    const doc = await stored()
    const ids = [...doc.getMap(SUGGESTIONS_FIELD).keys()]
    expect(ids).toHaveLength(5)
    expect(ids.filter((id) => firstIds.includes(id))).toEqual([])
    // Four threads: the first import's (now without anchor) and the second's.
    expect(doc.getMap(THREADS_FIELD).size).toBe(4)
    expect(cardProblems(schema, doc)).toEqual([])
    expect(lines(asIfAllAccepted(answerOf(doc)))).toEqual(DRAFT_ACCEPTED)
  })

  it('keeps line breaks and format changes through Yjs, each mark written as its author', async () => {
    const body = [
      '<w:p><w:r><w:t>Satu</w:t><w:br/><w:t>dua</w:t></w:r>',
      `<w:ins w:id="1" w:author="${DRAFT_AUTHORS.member}" w:date="2025-03-01T10:00:00Z"><w:r><w:br/><w:t>tiga</w:t></w:r></w:ins>`,
      `<w:r><w:rPr><w:b/><w:rPrChange w:id="2" w:author="${DRAFT_AUTHORS.guest}" w:date="2025-03-01T11:00:00Z"><w:rPr/></w:rPrChange></w:rPr><w:t xml:space="preserve"> tebal</w:t></w:r></w:p>`,
    ].join('')
    const result = await cardImport.importIntoCard({
      cardId,
      userId: PEOPLE.chair.id,
      bytes: packageOf(body),
      mode: ImportMode.Replace,
    })
    expect(result).toEqual({ suggestions: 2, threads: 0, paragraphs: 1 })
    const doc = await stored()
    const paragraph = answerOf(doc).child(0)
    const inline: string[] = []
    paragraph.forEach((node) => {
      inline.push(
        node.isText
          ? `${node.text}:${node.marks.map((m) => m.type.name).join('+')}`
          : node.type.name,
      )
    })
    expect(inline).toEqual([
      'Satu:',
      'hardBreak',
      'dua:',
      ' tiga:insertion',
      ' tebal:bold+formatChange',
    ])
    const kinds = [...doc.getMap<SuggestionMeta>(SUGGESTIONS_FIELD).entries()].map(([id, meta]) => [
      meta.kind,
      suggester(doc, id)?.userId,
    ])
    expect(kinds.sort()).toEqual(
      [
        [SuggestionKind.Format, GUEST.userId],
        [SuggestionKind.Insert, PEOPLE.member.id],
      ].sort(),
    )
    expect(lines(asIfAllRejected(answerOf(doc)))).toEqual(['Satudua tebal'])
    expect(cardProblems(schema, doc)).toEqual([])
  })

  it('refuses a locked card (409) and leaves it as it was', async () => {
    const before = await fingerprint()
    await temp.storage.repository.updateCard(cardId, { locked: true })
    await expect(importDraft(ImportMode.Replace)).rejects.toMatchObject({
      statusCode: 409,
      code: 'card_locked',
    })
    expect(await fingerprint()).toBe(before)

    // Locked in the room (the watcher's doing) but not yet read from the store: refused too.
    await temp.storage.repository.updateCard(cardId, { locked: false })
    const room = await rooms.acquire(cardDocumentName(cardId))
    room.setLocked(true)
    try {
      const error = await importDraft(ImportMode.Append).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(HttpError)
      expect(error).toMatchObject({ statusCode: 409, code: 'card_locked' })
    } finally {
      rooms.release(room)
    }
    expect(await fingerprint()).toBe(before)
  })

  it('refuses a card that does not exist', async () => {
    await expect(
      cardImport.importIntoCard({
        cardId: 'no-such-card',
        userId: PEOPLE.chair.id,
        bytes: await docxOf(wordDraft()),
        mode: ImportMode.Replace,
      }),
    ).rejects.toMatchObject({ statusCode: 404, code: 'card_not_found' })
  })

  describe('a file that cannot be imported changes nothing', () => {
    const bodyOf = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`
    const cases: Array<[string, () => Uint8Array, DocxErrorCode]> = [
      ['random bytes', () => new Uint8Array(randomBytes(5000)), DocxErrorCode.NotZip],
      [
        'a zip without word/document.xml',
        () => zipOf({ 'word/other.xml': '<a/>' }),
        DocxErrorCode.NotDocx,
      ],
      [
        'corrupt XML',
        () => zipOf({ 'word/document.xml': '<w:document><w:body>' }),
        DocxErrorCode.InvalidXml,
      ],
      ['an empty document', () => packageOf(bodyOf(' ')), DocxErrorCode.Empty],
      [
        'a zip bomb',
        () =>
          zipSync({ 'word/document.xml': new Uint8Array(DOCX_LIMITS.maxUncompressedBytes + 1) }),
        DocxErrorCode.TooLarge,
      ],
      [
        'more text than a card holds',
        () => packageOf(bodyOf('kata '.repeat(12_000))),
        DocxErrorCode.TooLarge,
      ],
    ]
    for (const [what, bytes, code] of cases) {
      it(`${what}: ${code}`, async () => {
        const before = await fingerprint()
        const error = await cardImport
          .importIntoCard({
            cardId,
            userId: PEOPLE.chair.id,
            bytes: bytes(),
            mode: ImportMode.Replace,
          })
          .catch((e: unknown) => e)
        expect(error).toBeInstanceOf(DocxImportError)
        expect((error as DocxImportError).code).toBe(code)
        expect((error as DocxImportError).message.length).toBeGreaterThan(10)
        expect(await fingerprint()).toBe(before)
      })
    }
  })

  it.runIf(runLibreOfficeTests())(
    'imports what LibreOffice writes, with its tracked changes and comments',
    async () => {
      const result = await cardImport.importIntoCard({
        cardId: secondCardId,
        userId: PEOPLE.chair.id,
        bytes: docxFromLibreOffice(LIBREOFFICE_DRAFT),
        mode: ImportMode.Replace,
      })
      expect(result).toEqual({ suggestions: 4, threads: 2, paragraphs: 12 })
      const doc = await stored(secondCardId)
      const answer = answerOf(doc)
      expect(cardProblems(schema, doc)).toEqual([])
      expect(lines(asIfAllRejected(answer))).toEqual(LIBREOFFICE_REJECTED)
      expect(lines(asIfAllAccepted(answer))).toEqual(LIBREOFFICE_ACCEPTED)
      expect(answer.child(0).type.name).toBe('heading')
      expect(answer.child(3).type.name).toBe('bulletList')
      expect(answer.child(4).type.name).toBe('orderedList')
      const suggesters = [...doc.getMap(SUGGESTIONS_FIELD).keys()].map(
        (id) => suggester(doc, id)?.userId,
      )
      expect(suggesters.sort()).toEqual(
        [PEOPLE.member.id, PEOPLE.member.id, GUEST.userId, GUEST.userId].sort(),
      )
      expect(threadsOf(doc).map((thread) => [thread.quote, thread.comments])).toEqual([
        ['4 juta', [{ author: PEOPLE.commenter.id, body: 'Mohon cek angka ini.' }]],
        ['juta', [{ author: PEOPLE.member.id, body: 'Sudah dicek.' }]],
      ])
    },
  )
})

describe('wordAuthorResolver', () => {
  const members: Member[] = [
    {
      userId: 'u1',
      email: 'budi@kemenkopmk.go.id',
      name: 'Budi Santoso',
      ministryId: 'KEMENKO_PMK',
      role: Role.Editor,
    },
  ]
  const ministries: Ministry[] = [
    {
      id: 'KP2MI',
      short: 'KP2MI',
      nameId: 'Kementerian Pelindungan Pekerja Migran Indonesia',
      nameEn: 'Ministry of Protection of Indonesian Migrant Workers',
      aliases: ['BP2MI'],
      color: '#b91c1c',
    },
  ]
  const resolve = wordAuthorResolver(members, ministries)

  it('finds a member by name (any case, any spacing) or e-mail', () => {
    const budi = { userId: 'u1', name: 'Budi Santoso', ministryId: 'KEMENKO_PMK' }
    expect(resolve('  budi   SANTOSO ')).toEqual(budi)
    expect(resolve('Budi@KemenkoPMK.go.id')).toEqual(budi)
  })

  it('makes a ministry of its names and aliases, and anyone else an imported author', () => {
    expect(resolve('bp2mi')).toEqual({
      userId: 'imported:bp2mi',
      name: 'imported: bp2mi',
      ministryId: 'KP2MI',
    })
    expect(resolve('Author')).toEqual({
      userId: 'imported:Author',
      name: 'imported: Author',
      ministryId: '',
    })
    expect(resolve('')).toEqual({ userId: 'imported:Word', name: 'imported: Word', ministryId: '' })
    expect(resolve('x'.repeat(500)).userId.length).toBeLessThanOrEqual(120)
  })

  it('reads names as the Word export writes them, so that a round trip keeps its people', () => {
    expect(resolve('Budi Santoso (Kemenko PMK)').userId).toBe('u1')
    expect(resolve('imported: Tamu Luar (KP2MI)')).toEqual({
      userId: 'imported:Tamu Luar',
      name: 'imported: Tamu Luar',
      ministryId: 'KP2MI',
    })
    expect(resolve('imported: Tamu Luar')).toEqual({
      userId: 'imported:Tamu Luar',
      name: 'imported: Tamu Luar',
      ministryId: '',
    })
    expect(resolve('Tim (Jenewa)')).toMatchObject({
      userId: 'imported:Tim (Jenewa)',
      ministryId: '',
    })
  })
})
