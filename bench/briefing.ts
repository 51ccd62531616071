/**
 * The briefing book's speed (scenario 10), without a server process, through the code the export
 * routes run (briefing/briefingBook.ts on the SQLite store, then the writers): a 60-card deck,
 * every card with suggestions of three ministries and a comment thread with a reply, exported
 * as Word in review and clean mode and as PDF cue cards. Targets (issue 15): Word under 3 s,
 * PDF under 5 s on this machine. For scale, LibreOffice Writer (headless) converting the same
 * Word file to PDF is timed in the same run, when it is installed.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { cardDocumentName } from '@kartu/protocol'
import {
  AUTHORS_FIELD,
  answerMarkFormat,
  CommentField,
  SUGGESTIONS_FIELD,
  THREADS_FIELD,
  ThreadField,
} from '@kartu/schema'
import * as Y from 'yjs'
import { ExportMode } from '../server/src/briefing/book.ts'
import { BriefingBook } from '../server/src/briefing/briefingBook.ts'
import { CardContentReader } from '../server/src/briefing/cardContent.ts'
import { writeBookDocx } from '../server/src/briefing/docxExport.ts'
import { writeBookPdf } from '../server/src/briefing/pdfExport.ts'
import { importDeck } from '../server/src/deckImport.ts'
import { openDatabase } from '../server/src/store/sqlite/openDatabase.ts'
import { SqliteDocumentStore } from '../server/src/store/sqlite/SqliteDocumentStore.ts'
import { SqliteRepository } from '../server/src/store/sqlite/SqliteRepository.ts'
import { median } from './lib/stats.ts'

export type BriefingResult = {
  cards: number
  docxReviewMs: number
  docxCleanMs: number
  pdfMs: number
  /** LibreOffice converting the review file to PDF (null when it is not installed). */
  libreOfficePdfMs: number | null
  docxBytes: number
  pdfBytes: number
}

const CARDS = 60
const REPEATS = 3
const DEMO_DECK = path.join(
  path.dirname(new URL(import.meta.url).pathname),
  '..',
  'server',
  'demo',
  'cmw-demo-deck.json',
)
const silent = { info() {}, warn() {}, error() {}, debug() {} }
const PEOPLE = [
  { userId: 'bench-kp2mi', name: 'Bench KP2MI', ministryId: 'KP2MI' },
  { userId: 'bench-kemlu', name: 'Bench Kemlu', ministryId: 'KEMLU' },
  { userId: 'bench-kemnaker', name: 'Bench Kemnaker', ministryId: 'KEMNAKER' },
]

/** The demo deck's cards again and again, to 60, with new ids. */
function sixtyCardDeck(): unknown {
  const demo = JSON.parse(fs.readFileSync(DEMO_DECK, 'utf8')) as {
    cards: Array<Record<string, unknown>>
  }
  const cards = Array.from({ length: CARDS }, (_, index) => {
    const card = demo.cards[index % demo.cards.length] as Record<string, unknown>
    return { ...card, id: `B-${String(index + 1).padStart(2, '0')}` }
  })
  return { ...demo, cards }
}

/** The first text of the `index`-th non-empty top-level paragraph of a card document. */
function paragraphText(doc: Y.Doc, index: number): Y.XmlText | null {
  const paragraphs = doc
    .getXmlFragment('answer')
    .toArray()
    .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement)
    .filter((node) => node.nodeName === 'paragraph' && node.length > 0)
  const text = paragraphs[index % Math.max(paragraphs.length, 1)]?.get(0)
  return text instanceof Y.XmlText ? text : null
}

/**
 * Suggestions of three ministries and a thread with a reply, each written under a client bound
 * to its person, as the server binds them (the export names authors from that binding).
 */
function reviewUpdate(state: Uint8Array): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  const before = Y.encodeStateVector(doc)
  PEOPLE.forEach((person, index) => {
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc))
    const text = paragraphText(client, index)
    if (!text) return
    const id = `s-${person.ministryId}`
    client.transact(() => {
      client.getMap(AUTHORS_FIELD).set(String(client.clientID), person)
      client.getMap(SUGGESTIONS_FIELD).set(id, { kind: 'replace', createdAt: Date.now() })
      text.insert(0, `Usulan ${person.ministryId}. `, answerMarkFormat('insertion', { id }))
      if (text.length > 40) text.format(30, 8, answerMarkFormat('deletion', { id }))
      if (index === 0) {
        const thread = new Y.Map<unknown>()
        thread.set(ThreadField.SuggestionId, id)
        thread.set(ThreadField.Quote, `Usulan ${person.ministryId}.`)
        thread.set(ThreadField.CreatedAt, Date.now())
        thread.set(ThreadField.Resolved, false)
        const comments = new Y.Array<Y.Map<unknown>>()
        for (const body of ['Mengapa angka ini?', 'Sumber: BP2MI 2025.']) {
          const comment = new Y.Map<unknown>()
          comment.set(CommentField.Id, body.slice(0, 4))
          comment.set(CommentField.Body, body)
          comment.set(CommentField.CreatedAt, Date.now())
          comments.push([comment])
        }
        thread.set(ThreadField.Comments, comments)
        client.getMap(THREADS_FIELD).set('t-angka', thread)
      }
    })
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(client, Y.encodeStateVector(doc)))
    client.destroy()
  })
  const update = Y.encodeStateAsUpdate(doc, before)
  doc.destroy()
  return update
}

async function timed(run: () => Promise<Uint8Array>): Promise<{ ms: number; bytes: Uint8Array }> {
  const times: number[] = []
  let bytes: Uint8Array = new Uint8Array()
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now()
    bytes = await run()
    times.push(performance.now() - start)
  }
  return { ms: median(times), bytes }
}

async function libreOfficeMs(docx: Uint8Array, dir: string): Promise<number | null> {
  const input = path.join(dir, 'book.docx')
  fs.writeFileSync(input, docx)
  const profile = `file://${path.join(dir, 'lo-profile')}`
  const start = performance.now()
  try {
    await promisify(execFile)(
      'soffice',
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=${profile}`,
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        input,
      ],
      { timeout: 180_000 },
    )
  } catch {
    return null
  }
  return performance.now() - start
}

export async function runBriefingBench(): Promise<BriefingResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-bench-briefing-'))
  const db = openDatabase(dir)
  try {
    const repository = new SqliteRepository(db)
    const documents = new SqliteDocumentStore(db)
    const { deckId, cardIds } = await importDeck(repository, documents, sixtyCardDeck())
    for (const cardId of cardIds) {
      const name = cardDocumentName(cardId)
      const stored = await documents.loadDocument(name)
      const doc = new Y.Doc()
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
      for (const update of stored.updates) Y.applyUpdate(doc, update)
      await documents.appendUpdates(name, [reviewUpdate(Y.encodeStateAsUpdate(doc))])
      doc.destroy()
    }
    const book = new BriefingBook(repository, new CardContentReader(documents, silent), {
      marking: 'TERBATAS',
      timeZone: 'Asia/Jakarta',
    })
    const deckBook = async () => {
      const made = await book.ofDeck(deckId)
      if (!made) throw new Error('no deck')
      return made
    }
    const review = await timed(async () => writeBookDocx(await deckBook(), ExportMode.Review))
    const clean = await timed(async () => writeBookDocx(await deckBook(), ExportMode.Clean))
    const pdf = await timed(async () => writeBookPdf(await deckBook()))
    return {
      cards: cardIds.length,
      docxReviewMs: review.ms,
      docxCleanMs: clean.ms,
      pdfMs: pdf.ms,
      libreOfficePdfMs: await libreOfficeMs(review.bytes, dir),
      docxBytes: review.bytes.length,
      pdfBytes: pdf.bytes.length,
    }
  } finally {
    db.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
