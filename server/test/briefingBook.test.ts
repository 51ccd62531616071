/**
 * The briefing book over REST, against a real server process: suggestions made by people of
 * three ministries with stock y-websocket clients come out of the Word export as tracked changes
 * authored "Name (Ministry)", a comment thread with its reply as a Word comment and its reply;
 * the clean export has the agreed text only; the PDF holds the agreed text; a deck export runs as
 * a job whose progress is reported; every export is audited; anyone outside the deck gets 404.
 */

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cardDocumentName } from '@kartu/protocol'
import {
  answerMarkFormat,
  CommentField,
  DECISIONS_FIELD,
  SUGGESTIONS_FIELD,
  THREADS_FIELD,
  ThreadField,
} from '@kartu/schema'
import { DOMParser } from '@xmldom/xmldom'
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { pdfText, popplerAvailable } from '../src/testing/pdfTools.ts'
import { callAs, userOf } from './helpers/api.ts'
import { auditActions } from './helpers/auditTrail.ts'
import { removeFromDeck } from './helpers/cli.ts'
import { connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { type Seeded, type SeededUser, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

/** The parts of a .docx, as text. */
function partsOf(bytes: Uint8Array): Map<string, string> {
  const files = unzipSync(bytes)
  return new Map(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]))
}

/** Every `w:<name>` element of a part, with its attributes and text. */
function elements(
  xml: string,
  name: string,
): Array<{ attrs: Record<string, string>; text: string }> {
  const doc = new DOMParser().parseFromString(xml, 'text/xml')
  const found = doc.getElementsByTagNameNS(W, name)
  const out: Array<{ attrs: Record<string, string>; text: string }> = []
  for (let i = 0; i < found.length; i++) {
    const element = found.item(i)
    if (!element) continue
    const attrs: Record<string, string> = {}
    for (let a = 0; a < element.attributes.length; a++) {
      const attr = element.attributes.item(a)
      if (attr) attrs[attr.localName ?? attr.name] = attr.value
    }
    out.push({ attrs, text: element.textContent ?? '' })
  }
  return out
}

describe('the briefing book over REST', () => {
  let seeded: Seeded
  let server: ServerProcess
  const clients: TestClient[] = []
  let cardId: string

  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir)
    cardId = seeded.cardIds[0] as string
    const open = async (user: SeededUser) => {
      const client = connectClient(server.wsUrl, cardDocumentName(cardId), user.token)
      clients.push(client)
      await client.synced()
      return client
    }
    // Three ministries propose: KEMNAKER (a suggester), KP2MI and KEMLU (editors suggesting).
    const proposals: Array<[string, string, string]> = [
      ['suggester', 's-kemnaker', 'Usulan Kemnaker. '],
      ['kp2mi', 's-kp2mi', 'Usulan KP2MI. '],
      ['kemlu', 's-kemlu', 'Usulan Kemlu <script>alert(1)</script> & co. '],
    ]
    for (const [key, id, text] of proposals) {
      const client = await open(userOf(seeded, key))
      client.doc.transact(() => {
        firstText(client.doc).insert(0, text, answerMarkFormat('insertion', { id }))
        client.doc
          .getMap(SUGGESTIONS_FIELD)
          .set(id, { kind: 'insert', createdAt: Date.UTC(2026, 11, 1, 9, 30) })
      })
      await client.saved()
    }
    // A thread on the suggestion of KP2MI, and the chair's reply in it.
    const commenter = await open(userOf(seeded, 'commenter'))
    commenter.doc.transact(() => {
      const thread = new Y.Map<unknown>()
      thread.set(ThreadField.SuggestionId, 's-kp2mi')
      thread.set(ThreadField.Quote, 'Usulan KP2MI.')
      thread.set(ThreadField.CreatedAt, Date.now())
      thread.set(ThreadField.Resolved, false)
      thread.set(ThreadField.Mentions, new Y.Array<string>())
      const comments = new Y.Array<Y.Map<unknown>>()
      const first = new Y.Map<unknown>()
      first.set(CommentField.Id, 'c1')
      first.set(CommentField.Body, 'Mengapa angka ini?')
      first.set(CommentField.CreatedAt, Date.now())
      comments.push([first])
      thread.set(ThreadField.Comments, comments)
      commenter.doc.getMap(THREADS_FIELD).set('t-angka', thread)
    })
    await commenter.saved()
    const chair = await open(userOf(seeded, 'chair'))
    const thread = chair.doc.getMap(THREADS_FIELD).get('t-angka') as Y.Map<unknown>
    chair.doc.transact(() => {
      const reply = new Y.Map<unknown>()
      reply.set(CommentField.Id, 'c2')
      reply.set(CommentField.Body, 'Sumber: BP2MI 2025.')
      reply.set(CommentField.CreatedAt, Date.now())
      ;(thread.get(ThreadField.Comments) as Y.Array<Y.Map<unknown>>).push([reply])
    })
    await chair.saved()
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })

  const get = (key: string, url: string) => callAs(server, userOf(seeded, key), 'GET', url)

  it('gives the card as Word with each ministry’s suggestion a tracked change, and the thread as a comment', async () => {
    const response = await get('viewer', `/api/cards/${cardId}/export.docx?mode=review`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    )
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="CMW-IDN-\d{4}-[A-Za-z0-9-]+-v1\.docx"$/,
    )
    const parts = partsOf(new Uint8Array(await response.arrayBuffer()))
    const document = parts.get('word/document.xml') ?? ''
    const insertions = elements(document, 'ins')
    // "Name (Ministry)": the person the server bound to the clientID that made the suggestion.
    const byAuthor = (author: string) =>
      insertions.filter((ins) => ins.attrs.author === author).map((ins) => ins.text)
    expect(byAuthor('Test suggester (Kemnaker)').join('')).toBe('Usulan Kemnaker. ')
    expect(byAuthor('Test kp2mi (KP2MI)').join('')).toBe('Usulan KP2MI. ')
    expect(byAuthor('Test kemlu (Kemlu)').join('')).toBe(
      'Usulan Kemlu <script>alert(1)</script> & co. ',
    )
    for (const ins of insertions.filter((entry) => entry.text.includes('Usulan'))) {
      expect(ins.attrs.date).toBe('2026-12-01T09:30:00Z')
    }
    // Escaped in the XML, text again when read: never markup.
    expect(document).not.toContain('<script>')
    const comments = elements(parts.get('word/comments.xml') ?? '', 'comment')
    expect(comments.map((comment) => comment.text)).toEqual([
      'Mengapa angka ini?',
      'Sumber: BP2MI 2025.',
    ])
    expect(parts.has('word/commentsExtended.xml')).toBe(true)
  })

  it('gives the clean card without suggestions or comments, and the PDF with the agreed text', async () => {
    const clean = await get('viewer', `/api/cards/${cardId}/export.docx?mode=clean`)
    expect(clean.status).toBe(200)
    const parts = partsOf(new Uint8Array(await clean.arrayBuffer()))
    const document = parts.get('word/document.xml') ?? ''
    expect(elements(document, 'ins')).toEqual([])
    expect(elements(document, 'del')).toEqual([])
    expect(parts.has('word/comments.xml')).toBe(false)
    expect(document).not.toContain('Usulan')

    const pdf = await get('viewer', `/api/cards/${cardId}/export.pdf`)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    const bytes = Buffer.from(await pdf.arrayBuffer())
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    if (popplerAvailable()) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-pdf-'))
      const file = path.join(dir, 'card.pdf')
      fs.writeFileSync(file, bytes)
      const text = pdfText(file)
      fs.rmSync(dir, { recursive: true, force: true })
      expect(text).not.toContain('Usulan')
      expect(text).toContain('TERBATAS')
    }
  })

  it('exports the deck as a job that reports its progress, then the file once', async () => {
    const viewer = userOf(seeded, 'viewer')
    const started = await callAs(server, viewer, 'POST', `/api/decks/${seeded.deckId}/exports`, {
      format: 'docx',
      mode: 'review',
    })
    expect(started.status).toBe(202)
    let job = (await started.json()) as { id: string; state: string; done: number; total: number }
    const seen: number[] = []
    for (let tries = 0; job.state === 'running' && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      const polled = await get('viewer', `/api/decks/${seeded.deckId}/exports/${job.id}`)
      job = (await polled.json()) as typeof job
      seen.push(job.done)
    }
    expect(job.state).toBe('done')
    expect(job.total).toBe(seeded.cardIds.length)
    expect(job.done).toBe(job.total)
    // Another person cannot follow or take someone's export.
    expect((await get('kp2mi', `/api/decks/${seeded.deckId}/exports/${job.id}`)).status).toBe(404)
    const file = await get('viewer', `/api/decks/${seeded.deckId}/exports/${job.id}/file`)
    expect(file.status).toBe(200)
    const parts = partsOf(new Uint8Array(await file.arrayBuffer()))
    expect(parts.get('word/document.xml')).toContain('Usulan Kemnaker.')
    expect((await get('viewer', `/api/decks/${seeded.deckId}/exports/${job.id}/file`)).status).toBe(
      404,
    )
  })

  it('takes its own review file back in: the same suggestions by the same people, the same thread', async () => {
    const exported = await get('viewer', `/api/cards/${cardId}/export.docx?mode=review`)
    const file = new Blob([await exported.arrayBuffer()])
    const target = seeded.cardIds[2] as string
    const form = new FormData()
    form.append('mode', 'replace')
    form.append('file', file, 'kartu.docx')
    const refused = await fetch(`${server.httpUrl}/api/cards/${target}/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${userOf(seeded, 'suggester').token}` },
      body: form,
    })
    expect(refused.status).toBe(403)
    const imported = await fetch(`${server.httpUrl}/api/cards/${target}/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${userOf(seeded, 'kp2mi').token}` },
      body: form,
    })
    expect(imported.status).toBe(200)
    expect(await imported.json()).toMatchObject({ suggestions: 3, threads: 1 })
    const reader = connectClient(
      server.wsUrl,
      cardDocumentName(target),
      userOf(seeded, 'viewer').token,
    )
    clients.push(reader)
    await reader.synced()
    // Each suggestion's entry is held by a client the server bound to the person Word named.
    const suggestions = reader.doc.getMap(SUGGESTIONS_FIELD)
    const authors = reader.doc.getMap<{ userId: string }>('authors')
    const suggestedBy = [...suggestions.keys()].map(
      (id) => authors.get(String(suggestions._map.get(id)?.id.client))?.userId,
    )
    expect(suggestedBy.sort()).toEqual(
      ['kemlu', 'kp2mi', 'suggester'].map((key) => userOf(seeded, key).id).sort(),
    )
    const threads = [...reader.doc.getMap(THREADS_FIELD).values()] as Y.Map<unknown>[]
    const bodies = threads.map((thread) =>
      (thread.get(ThreadField.Comments) as Y.Array<Y.Map<unknown>>)
        .toArray()
        .map((comment) => comment.get(CommentField.Body)),
    )
    expect(bodies).toEqual([['Mengapa angka ini?', 'Sumber: BP2MI 2025.']])

    // A file that is not Word: a clear refusal, and the card as it was.
    const before = Y.encodeStateVector(reader.doc)
    const junk = new FormData()
    junk.append('file', new Blob(['bukan word']), 'junk.docx')
    const bad = await fetch(`${server.httpUrl}/api/cards/${target}/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${userOf(seeded, 'kp2mi').token}` },
      body: junk,
    })
    expect(bad.status).toBe(422)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('not_a_zip')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(Buffer.from(Y.encodeStateVector(reader.doc))).toEqual(Buffer.from(before))
    const imports = (await auditActions(seeded.dataDir)).filter(
      (entry) => entry.action === 'word.imported',
    )
    expect(imports).toHaveLength(1)
    expect(imports[0]).toMatchObject({
      subject: `card:${target}`,
      actorUserId: userOf(seeded, 'kp2mi').id,
    })
  })

  it('prints a closed rakor’s minutes: each decision with its reason, who proposed and who decided, and the clearances', async () => {
    const decided = seeded.cardIds[3] as string
    const open = async (key: string) => {
      const client = connectClient(
        server.wsUrl,
        cardDocumentName(decided),
        userOf(seeded, key).token,
      )
      clients.push(client)
      await client.synced()
      return client
    }
    const suggester = await open('suggester')
    suggester.doc.transact(() => {
      firstText(suggester.doc).insert(
        0,
        'Angka 2025. ',
        answerMarkFormat('insertion', { id: 's-angka' }),
      )
      suggester.doc
        .getMap(SUGGESTIONS_FIELD)
        .set('s-angka', { kind: 'insert', createdAt: Date.now() })
    })
    await suggester.saved()
    const chair = await open('chair')
    await waitFor(() => chair.doc.getMap(SUGGESTIONS_FIELD).has('s-angka'))
    chair.doc.transact(() => {
      // Accepting an insertion: its mark goes, the text stays; the decision is logged.
      const [key] = Object.keys(answerMarkFormat('insertion', { id: 's-angka' }))
      firstText(chair.doc).format(0, 'Angka 2025. '.length, { [key as string]: null })
      chair.doc.getMap(SUGGESTIONS_FIELD).delete('s-angka')
      chair.doc.getArray(DECISIONS_FIELD).push([
        {
          suggestionId: 's-angka',
          kind: 'insert',
          outcome: 'accepted',
          text: 'Angka 2025.',
          suggestedBy: userOf(seeded, 'suggester').id,
          reason: 'Data BP2MI terbaru',
          at: Date.now(),
        },
      ])
    })
    await chair.saved()
    // KP2MI (the card's lead) clears the text during the session: the minutes record it.
    const cleared = await callAs(
      server,
      userOf(seeded, 'kp2mi'),
      'POST',
      `/api/cards/${decided}/clearances`,
    )
    expect(cleared.status).toBe(201)
    const closed = await callAs(
      server,
      userOf(seeded, 'chair'),
      'POST',
      `/api/decks/${seeded.deckId}/sessions`,
      {
        name: 'Rakor 6 Desember',
      },
    )
    expect(closed.status).toBe(201)
    const listed = (await (await get('viewer', `/api/decks/${seeded.deckId}/sessions`)).json()) as {
      sessions: Array<{ id: string; name: string }>
    }
    const session = listed.sessions[0]
    expect(session?.name).toBe('Rakor 6 Desember')
    const minutes = await get(
      'viewer',
      `/api/decks/${seeded.deckId}/minutes.docx?session=${session?.id}`,
    )
    expect(minutes.status).toBe(200)
    expect(minutes.headers.get('content-disposition')).toMatch(
      /notulen-\d{4}-\d{2}-\d{2}-v2\.docx"$/,
    )
    const text = elements(
      partsOf(new Uint8Array(await minutes.arrayBuffer())).get('word/document.xml') ?? '',
      't',
    )
      .map((run) => run.text)
      .join(' ')
    for (const expected of [
      'Rakor 6 Desember',
      'Angka 2025.',
      'diterima',
      'Data BP2MI terbaru',
      'Test suggester',
      'Test chair',
      'Kemnaker',
      'Persetujuan K/L dan final',
      'KP2MI menyetujui teks (Test kp2mi (KP2MI))',
    ]) {
      expect(text, expected).toContain(expected)
    }
    const pdf = await get(
      'viewer',
      `/api/decks/${seeded.deckId}/minutes.pdf?session=${session?.id}`,
    )
    expect(pdf.status).toBe(200)
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-')
    expect(
      (await get('viewer', `/api/decks/${seeded.deckId}/minutes.pdf?session=999999`)).status,
    ).toBe(404)
    expect(
      (await get('viewer', `/api/decks/${seeded.deckId}/minutes.pdf?session=kemarin`)).status,
    ).toBe(400)
  })

  it('makes cards of a Word file, one per question heading (the chair)', async () => {
    const draft = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              new Paragraph({
                heading: HeadingLevel.HEADING_1,
                children: [new TextRun('Pertanyaan satu?')],
              }),
              new Paragraph({ children: [new TextRun('Jawaban satu.')] }),
              new Paragraph({
                heading: HeadingLevel.HEADING_1,
                children: [new TextRun('Pertanyaan dua?')],
              }),
              new Paragraph({ children: [new TextRun({ text: 'Jawaban dua.', bold: true })] }),
            ],
          },
        ],
      }),
    )
    const upload = (key: string) => {
      const form = new FormData()
      form.append('file', new Blob([draft]), 'deck.docx')
      return fetch(`${server.httpUrl}/api/decks/${seeded.deckId}/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${userOf(seeded, key).token}` },
        body: form,
      })
    }
    expect((await upload('kp2mi')).status).toBe(403)
    const made = await upload('chair')
    expect(made.status).toBe(200)
    const { cardIds } = (await made.json()) as { cardIds: string[] }
    expect(cardIds).toHaveLength(2)
    const second = await get('viewer', `/api/cards/${cardIds[1]}`)
    expect(((await second.json()) as { card: { question: string } }).card.question).toBe(
      'Pertanyaan dua?',
    )
  })

  it('audits every export, and answers 404 to anyone outside the deck', async () => {
    const exports = (await auditActions(seeded.dataDir)).filter(
      (entry) => entry.action === 'export',
    )
    expect(exports.map((entry) => entry.subject)).toEqual(
      expect.arrayContaining([`card:${cardId}`, `deck:${seeded.deckId}`]),
    )
    expect(exports.length).toBeGreaterThanOrEqual(4)
    await removeFromDeck(seeded, userOf(seeded, 'commenter').email)
    for (const url of [
      `/api/cards/${cardId}/export.docx`,
      `/api/cards/${cardId}/export.pdf`,
      `/api/decks/${seeded.deckId}/export.docx`,
      `/api/decks/${seeded.deckId}/minutes.pdf`,
    ]) {
      expect((await get('commenter', url)).status, url).toBe(404)
    }
    const anonymous = await fetch(`${server.httpUrl}/api/cards/${cardId}/export.docx`)
    expect(anonymous.status).toBe(401)
    expect((await get('viewer', `/api/cards/${cardId}/export.docx?mode=other`)).status).toBe(400)
  })
})
