import { cardDocumentName, Role } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  type Author,
  asIfAllAccepted,
  asIfAllRejected,
  cardProblems,
  getAnswerSchema,
  SUGGESTIONS_FIELD,
  THREADS_FIELD,
} from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  Document,
  HeadingLevel,
  InsertedTextRun,
  Paragraph,
  TextRun,
} from 'docx'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { AuditLog } from '../audit/AuditLog.ts'
import { AuditAction } from '../audit/auditEvents.ts'
import { AnswerDocument } from '../collab/policy/answerDocument.ts'
import { RoomManager } from '../collab/RoomManager.ts'
import { CardVersions } from '../history/cardVersions.ts'
import { Cards } from '../services/cards.ts'
import { recordingLogger } from '../testing/collabFixtures.ts'
import { importDemoDeck, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { docxOf, packageOf } from './docxImportFixtures.ts'
import { DocxErrorCode, DocxImportError, readDocx } from './docxRead.ts'
import { DeckWordImport, splitIntoQuestions } from './importDeckFromWord.ts'
import { CardImport } from './importIntoCard.ts'

const schema = getAnswerSchema()
const CHAIR = { id: 'u-ratna', name: 'Ratna Wulandari', ministryId: 'KEMENKO_POLKAM' }
const MEMBER = { id: 'u-budi', name: 'Budi Santoso', ministryId: 'KEMENKO_PMK' }

function lines(doc: PMNode): string[] {
  const out: string[] = []
  doc.descendants((node) => {
    if (!node.isTextblock) return true
    out.push(node.textContent)
    return false
  })
  return out
}

const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
  new Paragraph({ heading: level, text })

/** Three questions under Heading 1, a title before them, a tracked change and two comments. */
function questionsDraft(): Document {
  return new Document({
    comments: {
      children: [
        {
          id: 0,
          author: 'Sari Anggraini',
          date: new Date('2025-03-02T09:00:00Z'),
          children: [new Paragraph('Sumber?')],
        },
        {
          id: 1,
          author: 'Tamu Luar',
          date: new Date('2025-03-02T10:00:00Z'),
          children: [new Paragraph('Pertanyaan ini diubah Komite.')],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph('Draf jawaban Kemnaker untuk rakor'),
          heading(
            'Apa langkah Indonesia untuk pekerja migran tidak berdokumen?',
            HeadingLevel.HEADING_1,
          ),
          new Paragraph({
            children: [
              new TextRun('Pemerintah memperkuat layanan '),
              new InsertedTextRun({
                id: 1,
                author: MEMBER.name,
                date: '2025-03-01T10:00:00Z',
                text: 'terpadu ',
              }),
              new CommentRangeStart(0),
              new TextRun('di daerah'),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
              new TextRun('.'),
            ],
          }),
          heading('Data', HeadingLevel.HEADING_2),
          new Paragraph({ text: 'Data SISKOP2MI', bullet: { level: 0 } }),
          new Paragraph({
            children: [
              new CommentRangeStart(1),
              new TextRun('Bagaimana data penempatan dikumpulkan?'),
              new CommentRangeEnd(1),
              new TextRun({ children: [new CommentReference(1)] }),
            ],
            heading: HeadingLevel.HEADING_1,
          }),
          new Paragraph({ text: 'Melalui sistem terpadu.', bullet: { level: 0 } }),
          heading('Pertanyaan tanpa jawaban', HeadingLevel.HEADING_1),
        ],
      },
    ],
  })
}

describe('DeckWordImport', () => {
  let temp: TempStorage
  let rooms: RoomManager
  let deckImport: DeckWordImport
  let deckId: string

  beforeEach(async () => {
    temp = await openTempStorage()
    const { repository, documents } = temp.storage
    deckId = (await importDemoDeck(temp)).deckId
    for (const [person, role] of [
      [CHAIR, Role.Chair],
      [MEMBER, Role.Suggester],
    ] as const) {
      await repository.createUser({
        ...person,
        email: `${person.id}@kartu.test`,
        passwordHash: null,
      })
      await repository.setMember(deckId, person.id, role)
    }
    const logger = recordingLogger()
    rooms = new RoomManager({
      store: documents,
      logger,
      compactAfterUpdates: 1000,
      unloadDelayMs: 0,
    })
    const versions = new CardVersions(repository, documents, logger)
    deckImport = new DeckWordImport(
      new Cards(repository, new AuditLog(repository)),
      new CardImport(rooms, versions, repository),
      repository,
    )
  })

  afterEach(async () => {
    await rooms.closeAll(1000, 'test over')
    await temp.cleanup()
  })

  async function stored(cardId: string): Promise<Y.Doc> {
    const room = await rooms.acquire(cardDocumentName(cardId))
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
    rooms.release(room)
    return doc
  }

  it('makes a card of each Heading 1, its answer what follows, with suggestions and threads', async () => {
    const { repository } = temp.storage
    const deck = await repository.getDeck(deckId)
    const before = await repository.listCards(deckId)
    const result = await deckImport.importDeckFromWord({
      deckId,
      userId: CHAIR.id,
      bytes: await docxOf(questionsDraft()),
    })
    expect(result).toMatchObject({ suggestions: 1, threads: 2, skippedParagraphs: 1 })
    expect(result.cardIds).toHaveLength(3)

    const cards = await repository.listCards(deckId)
    expect(cards.slice(0, before.length).map((c) => c.id)).toEqual(before.map((c) => c.id))
    const created = cards.slice(before.length)
    expect(created.map((c) => c.id)).toEqual(result.cardIds)
    expect(created.map((c) => [c.ref, c.question, c.cluster, c.leadMinistry, c.status])).toEqual([
      [
        'W-01',
        'Apa langkah Indonesia untuk pekerja migran tidak berdokumen?',
        deck?.clusters[0]?.id,
        CHAIR.ministryId,
        'draft',
      ],
      [
        'W-02',
        'Bagaimana data penempatan dikumpulkan?',
        deck?.clusters[0]?.id,
        CHAIR.ministryId,
        'draft',
      ],
      ['W-03', 'Pertanyaan tanpa jawaban', deck?.clusters[0]?.id, CHAIR.ministryId, 'draft'],
    ])

    const [first, second, third] = await Promise.all(result.cardIds.map((id) => stored(id)))
    if (!first || !second || !third) throw new Error('the cards were not created')
    const answerOf = (doc: Y.Doc) => new AnswerDocument(schema).of(doc.getXmlFragment(ANSWER_FIELD))
    expect(lines(asIfAllAccepted(answerOf(first)))).toEqual([
      'Pemerintah memperkuat layanan terpadu di daerah.',
      'Data',
      'Data SISKOP2MI',
    ])
    expect(lines(asIfAllRejected(answerOf(first)))).toEqual([
      'Pemerintah memperkuat layanan di daerah.',
      'Data',
      'Data SISKOP2MI',
    ])
    const [suggestionId] = [...first.getMap(SUGGESTIONS_FIELD).keys()]
    const entry = first.getMap(SUGGESTIONS_FIELD)._map.get(suggestionId ?? '')
    expect(first.getMap<Author>(AUTHORS_FIELD).get(String(entry?.id.client))?.userId).toBe(
      MEMBER.id,
    )
    expect(first.getMap(THREADS_FIELD).size).toBe(1)
    // The comment on the second question's heading: a thread of its card, without anchor.
    expect(lines(answerOf(second))).toEqual(['Melalui sistem terpadu.'])
    const [thread] = [...second.getMap<Y.Map<unknown>>(THREADS_FIELD).values()]
    expect(thread?.get('quote')).toBe('')
    expect(third.getXmlFragment(ANSWER_FIELD).length).toBe(0)
    for (const doc of [first, second, third]) expect(cardProblems(schema, doc)).toEqual([])

    const audit = await repository.listAudit(0, 100)
    expect(audit.filter((e) => e.action === AuditAction.CardCreated)).toHaveLength(3)
  })

  it('takes clusters from a heading level above the questions when its headings name them', async () => {
    const { repository } = temp.storage
    await repository.createCard({
      id: 'taken',
      deckId,
      ref: 'W-01',
      cluster: 'K1',
      questionRef: '',
      question: 'Sudah ada',
      questionId: '',
      articles: [],
      leadMinistry: 'KP2MI',
      contributingMinistries: [],
      status: 'draft',
      timeBudgetSec: 120,
      position: 99,
      extra: {},
    })
    const bytes = await docxOf(
      new Document({
        sections: [
          {
            children: [
              heading('K2: Hak asasi semua pekerja migran', HeadingLevel.HEADING_1),
              heading('Pertanyaan satu?', HeadingLevel.HEADING_2),
              new Paragraph('Jawaban satu.'),
              heading('Pertanyaan dua?', HeadingLevel.HEADING_2),
              new Paragraph('Jawaban dua.'),
              heading('Klaster K4', HeadingLevel.HEADING_1),
              heading('Pertanyaan tiga?', HeadingLevel.HEADING_2),
              new Paragraph('Jawaban tiga.'),
            ],
          },
        ],
      }),
    )
    const result = await deckImport.importDeckFromWord({ deckId, userId: MEMBER.id, bytes })
    const cards = await Promise.all(result.cardIds.map((id) => repository.getCard(id)))
    expect(cards.map((c) => [c?.ref, c?.question, c?.cluster, c?.leadMinistry])).toEqual([
      ['W-02', 'Pertanyaan satu?', 'K2', MEMBER.ministryId],
      ['W-03', 'Pertanyaan dua?', 'K2', MEMBER.ministryId],
      ['W-04', 'Pertanyaan tiga?', 'K4', MEMBER.ministryId],
    ])
  })

  it('refuses a file without headings and creates no card', async () => {
    const { repository } = temp.storage
    const before = (await repository.listCards(deckId)).length
    const body = '<w:p><w:r><w:t>Hanya teks, tanpa judul.</w:t></w:r></w:p>'
    const error = await deckImport
      .importDeckFromWord({ deckId, userId: CHAIR.id, bytes: packageOf(body) })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DocxImportError)
    expect((error as DocxImportError).code).toBe(DocxErrorCode.NoQuestions)
    expect((await repository.listCards(deckId)).length).toBe(before)
  })

  it('refuses a deck that does not exist', async () => {
    await expect(
      deckImport.importDeckFromWord({
        deckId: 'no-such-deck',
        userId: CHAIR.id,
        bytes: await docxOf(questionsDraft()),
      }),
    ).rejects.toMatchObject({ statusCode: 404, code: 'deck_not_found' })
  })
})

describe('splitIntoQuestions', () => {
  it('uses the top heading level for questions when it names no cluster', async () => {
    const word = readDocx(await docxOf(questionsDraft()))
    const { questions, skippedParagraphs } = splitIntoQuestions(word, [
      { id: 'K1', nameId: 'Kerangka umum', nameEn: 'General framework' },
    ])
    expect(skippedParagraphs).toBe(1)
    expect(
      questions.map((q) => [q.question, q.clusterId, q.word.blocks.length, q.word.comments.length]),
    ).toEqual([
      ['Apa langkah Indonesia untuk pekerja migran tidak berdokumen?', null, 3, 1],
      ['Bagaimana data penempatan dikumpulkan?', null, 1, 1],
      ['Pertanyaan tanpa jawaban', null, 0, 0],
    ])
  })
})
