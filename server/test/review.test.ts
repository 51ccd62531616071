/**
 * Suggestions and comments through the real server with three clients (the chair and two
 * ministries): overlapping suggestions both survive, concurrent accept and reject converge, and
 * work done offline merges on reconnect.
 */
import { cardDocumentName } from '@kartu/protocol'
import {
  AUTHORS_FIELD,
  answerMarkFormat,
  DECISIONS_FIELD,
  SUGGESTIONS_FIELD,
  THREADS_FIELD,
} from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { auditActions } from './helpers/auditTrail.ts'
import { answerXml, connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const mark = (kind: 'insertion' | 'deletion', id: string) => answerMarkFormat(kind, { id })

function suggestInsert(client: TestClient, index: number, text: string, id: string): void {
  client.doc.transact(() => {
    firstText(client.doc).insert(index, text, mark('insertion', id))
    client.doc.getMap(SUGGESTIONS_FIELD).set(id, { kind: 'insert', createdAt: Date.now() })
  })
}

function suggestDelete(client: TestClient, index: number, length: number, id: string): void {
  client.doc.transact(() => {
    firstText(client.doc).format(index, length, mark('deletion', id))
    client.doc.getMap(SUGGESTIONS_FIELD).set(id, { kind: 'delete', createdAt: Date.now() })
  })
}

function authorOf(doc: Y.Doc, map: Y.Map<unknown>, key: string): string | undefined {
  const item = map._map.get(key)
  if (!item) return undefined
  const author = doc.getMap<{ userId: string }>(AUTHORS_FIELD).get(String(item.id.client))
  return author?.userId
}

describe('reviewing a card through the server', () => {
  let seeded: Seeded
  let server: ServerProcess
  const clients: TestClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir)
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })
  const open = (cardIndex: number, user: 'chair' | 'kp2mi' | 'kemlu') => {
    const name = cardDocumentName(seeded.cardIds[cardIndex] as string)
    const client = connectClient(server.wsUrl, name, seeded.users[user]?.token as string)
    clients.push(client)
    return client
  }

  it('keeps both ministries’ overlapping suggestions, attributed by the server', async () => {
    const [chair, kp2mi, kemlu] = [open(4, 'chair'), open(4, 'kp2mi'), open(4, 'kemlu')]
    await Promise.all([chair.synced(), kp2mi.synced(), kemlu.synced()])
    // Both delete the same words and propose other words at the same place, concurrently.
    suggestDelete(kp2mi, 0, 5, 'del-kp2mi')
    suggestInsert(kp2mi, 0, 'Usulan KP2MI ', 'ins-kp2mi')
    suggestDelete(kemlu, 0, 5, 'del-kemlu')
    suggestInsert(kemlu, 0, 'Usulan Kemlu ', 'ins-kemlu')
    await Promise.all([kp2mi.saved(), kemlu.saved()])
    await waitFor(
      () =>
        answerXml(chair.doc) === answerXml(kp2mi.doc) &&
        answerXml(kp2mi.doc) === answerXml(kemlu.doc),
      10_000,
      'convergence',
    )
    const xml = answerXml(chair.doc)
    for (const key of [
      ...Object.keys(mark('deletion', 'del-kp2mi')),
      ...Object.keys(mark('deletion', 'del-kemlu')),
      ...Object.keys(mark('insertion', 'ins-kp2mi')),
      ...Object.keys(mark('insertion', 'ins-kemlu')),
    ]) {
      expect(xml).toContain(key)
    }
    const suggestions = chair.doc.getMap(SUGGESTIONS_FIELD)
    await waitFor(
      () => authorOf(chair.doc, suggestions, 'ins-kemlu') !== undefined,
      5_000,
      'authors',
    )
    expect(authorOf(chair.doc, suggestions, 'ins-kp2mi')).toBe(seeded.users.kp2mi?.id)
    expect(authorOf(chair.doc, suggestions, 'ins-kemlu')).toBe(seeded.users.kemlu?.id)
  })

  it('converges when two clients accept and reject the same suggestion at once', async () => {
    const [a, b, author] = [open(5, 'chair'), open(5, 'chair'), open(5, 'kp2mi')]
    await Promise.all([a.synced(), b.synced(), author.synced()])
    suggestInsert(author, 0, 'Kalimat usulan. ', 's-race')
    await author.saved()
    await waitFor(
      () =>
        a.doc.getMap(SUGGESTIONS_FIELD).has('s-race') &&
        b.doc.getMap(SUGGESTIONS_FIELD).has('s-race'),
    )
    const decide = (client: TestClient, outcome: 'accepted' | 'rejected') =>
      client.doc.transact(() => {
        const text = firstText(client.doc)
        if (outcome === 'accepted')
          text.format(0, 16, { [Object.keys(mark('insertion', 's-race'))[0] as string]: null })
        else text.delete(0, 16)
        client.doc.getMap(SUGGESTIONS_FIELD).delete('s-race')
        client.doc.getArray(DECISIONS_FIELD).push([
          {
            suggestionId: 's-race',
            kind: 'insert',
            outcome,
            text: 'Kalimat usulan. ',
            suggestedBy: null,
            reason: '',
            at: Date.now(),
          },
        ])
      })
    decide(a, 'accepted')
    decide(b, 'rejected')
    await Promise.all([a.saved(), b.saved()])
    await waitFor(
      () => answerXml(a.doc) === answerXml(b.doc) && answerXml(b.doc) === answerXml(author.doc),
      10_000,
      'convergence after the race',
    )
    expect(a.doc.getArray(DECISIONS_FIELD).length).toBe(2)
    expect(a.doc.getMap(SUGGESTIONS_FIELD).has('s-race')).toBe(false)
    expect(a.rejected).toEqual([])
    expect(b.rejected).toEqual([])
    // Both decisions are on record, with the suggestion's true author.
    const name = cardDocumentName(seeded.cardIds[5] as string)
    const decided = (await auditActions(seeded.dataDir)).filter(
      (e) => e.action === 'suggestion.decided' && e.subject === name,
    )
    const byOutcome = (e: { details: unknown }) => (e.details as { decision: string }).decision
    expect(
      decided.sort((x, y) => byOutcome(x).localeCompare(byOutcome(y))).map((e) => e.details),
    ).toEqual([
      { suggestionId: 's-race', decision: 'accepted', authorUserId: seeded.users.kp2mi?.id },
      { suggestionId: 's-race', decision: 'rejected', authorUserId: seeded.users.kp2mi?.id },
    ])
  })

  it('merges suggestions and comments made offline on reconnect', async () => {
    const online = open(6, 'chair')
    const offline = open(6, 'kemlu')
    await Promise.all([online.synced(), offline.synced()])
    offline.provider.disconnect()
    suggestInsert(offline, 0, 'Ditulis di pesawat. ', 's-offline')
    offline.doc.transact(() => {
      const thread = new Y.Map<unknown>()
      offline.doc.getMap(THREADS_FIELD).set('t-offline', thread)
      thread.set('quote', 'Ditulis')
      thread.set('resolved', false)
      const comments = new Y.Array<Y.Map<unknown>>()
      thread.set('comments', comments)
      const first = new Y.Map<unknown>()
      comments.push([first])
      first.set('id', 'c-offline')
      first.set('body', 'Mohon dicek @KP2MI')
    })
    firstText(online.doc).insert(0, 'Sementara itu. ')
    await online.saved()
    offline.provider.connect()
    await offline.saved()
    await waitFor(() => answerXml(online.doc) === answerXml(offline.doc), 10_000, 'merge')
    expect(firstText(online.doc).toString()).toContain('Ditulis di pesawat.')
    expect(firstText(online.doc).toString()).toContain('Sementara itu.')
    expect(online.doc.getMap(THREADS_FIELD).has('t-offline')).toBe(true)
    expect(offline.rejected).toEqual([])
  })
})
