/**
 * The inbox against a real server process, stock y-websocket clients and a live event stream:
 * a mention of a ministry reaches that ministry's people (its focal persons once the chair names
 * them), a reply reaches the thread's earlier writers, each as it happens over server-sent
 * events; nobody outside the card's deck ever sees an item; read items stop counting.
 */
import { randomUUID } from 'node:crypto'
import { cardDocumentName, type InboxCountEvent, type InboxResponse } from '@kartu/protocol'
import { CommentField, THREADS_FIELD, ThreadField } from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Auth } from '../src/auth/Auth.ts'
import { eventually } from '../src/testing/eventually.ts'
import { openTestStorage } from '../src/testing/testStore.ts'
import { callAs, userOf } from './helpers/api.ts'
import { connectClient, type TestClient } from './helpers/clients.ts'
import { addOtherDeck, type Seeded, type SeededUser, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

/** An open `GET /api/me/events` stream and the inbox events it has delivered so far. */
type EventStream = { events: InboxCountEvent[]; close(): void }

async function openEvents(server: ServerProcess, user: SeededUser): Promise<EventStream> {
  const controller = new AbortController()
  const response = await fetch(`${server.httpUrl}/api/me/events`, {
    headers: { authorization: `Bearer ${user.token}` },
    signal: controller.signal,
  })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('text/event-stream')
  const events: InboxCountEvent[] = []
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        buffer += decoder.decode(value, { stream: true })
        let end = buffer.indexOf('\n\n')
        while (end !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = block.split('\n').find((line) => line.startsWith('data: '))
          if (block.includes('event: inbox') && data) {
            events.push(JSON.parse(data.slice('data: '.length)) as InboxCountEvent)
          }
          end = buffer.indexOf('\n\n')
        }
      }
    } catch {
      // Aborted by close().
    }
  })()
  return { events, close: () => controller.abort() }
}

/** A new thread with its opening comment, written as the client writes one (review/threads.ts). */
function addThread(doc: Y.Doc, threadId: string, body: string, mentionIds: string[]): void {
  const thread = new Y.Map<unknown>()
  thread.set(ThreadField.Quote, '')
  thread.set(ThreadField.CreatedAt, Date.now())
  thread.set(ThreadField.Resolved, false)
  const mentions = new Y.Array<string>()
  mentions.push(mentionIds)
  thread.set(ThreadField.Mentions, mentions)
  const comments = new Y.Array<Y.Map<unknown>>()
  comments.push([comment(body)])
  thread.set(ThreadField.Comments, comments)
  doc.getMap(THREADS_FIELD).set(threadId, thread)
}

function comment(body: string): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  map.set(CommentField.Id, randomUUID())
  map.set(CommentField.Body, body)
  map.set(CommentField.CreatedAt, Date.now())
  return map
}

function reply(doc: Y.Doc, threadId: string, body: string): void {
  const thread = doc.getMap<Y.Map<unknown>>(THREADS_FIELD).get(threadId)
  const comments = thread?.get(ThreadField.Comments) as Y.Array<Y.Map<unknown>>
  comments.push([comment(body)])
}

describe('the inbox', () => {
  let seeded: Seeded
  let server: ServerProcess
  /** A KP2MI person who is a member of another deck only. */
  let outsider: SeededUser
  const clients: TestClient[] = []
  const streams: EventStream[] = []
  beforeAll(async () => {
    seeded = await seed()
    const otherDeck = await addOtherDeck(seeded)
    const storage = await openTestStorage(seeded.dataDir)
    try {
      await storage.repository.createUser({
        id: 'user-outsider',
        email: 'outsider@kartu.test',
        name: 'Orang luar',
        ministryId: 'KP2MI',
        passwordHash: null,
      })
      await storage.repository.setMember(otherDeck, 'user-outsider', 'editor')
      // A second person of KEMLU in the deck, not named its focal person below.
      await storage.repository.createUser({
        id: 'user-kemlu2',
        email: 'kemlu2@kartu.test',
        name: 'Kemlu kedua',
        ministryId: 'KEMLU',
        passwordHash: null,
      })
      await storage.repository.setMember(seeded.deckId, 'user-kemlu2', 'suggester')
      const auth = new Auth(storage.repository, {
        sessionIdleMs: 3_600_000,
        sessionMaxMs: 3_600_000,
      })
      const { token } = await auth.issueToken('user-outsider', 'test')
      outsider = {
        id: 'user-outsider',
        email: 'outsider@kartu.test',
        password: '',
        token,
        role: 'editor',
      }
    } finally {
      await storage.close()
    }
    server = await startServer(seeded.dataDir)
  })
  afterAll(async () => {
    for (const stream of streams) stream.close()
    for (const client of clients) client.destroy()
    await server?.stop()
  })
  const call = (user: SeededUser, method: string, path: string, body?: unknown) =>
    callAs(server, user, method, path, body)
  const open = async (key: string, cardId: string) => {
    const client = connectClient(server.wsUrl, cardDocumentName(cardId), userOf(seeded, key).token)
    clients.push(client)
    await client.synced()
    return client
  }
  const inboxOf = async (user: SeededUser) => {
    const response = await call(user, 'GET', '/api/me/inbox')
    expect(response.status).toBe(200)
    return (await response.json()) as InboxResponse
  }
  const listen = async (user: SeededUser) => {
    const stream = await openEvents(server, user)
    streams.push(stream)
    await eventually(() => stream.events.length > 0, 'the first count')
    return stream
  }

  it('puts a mention in the ministry’s inboxes as it happens, and nowhere else', async () => {
    const cardId = seeded.cardIds[2] as string
    const kp2mi = userOf(seeded, 'kp2mi')
    const live = await listen(kp2mi)
    const outsiderLive = await listen(outsider)
    expect(live.events[0]).toEqual({ unread: 0 })
    const kemlu = await open('kemlu', cardId)
    addThread(kemlu.doc, 't-mention', 'Mohon data terbaru dari @KP2MI untuk paragraf ini.', [
      'KP2MI',
    ])
    await kemlu.saved()
    await eventually(() => live.events.some((e) => e.item?.kind === 'mention'), 'the live mention')
    const event = live.events.find((e) => e.item?.kind === 'mention')
    expect(event?.unread).toBe(1)
    expect(event?.item).toMatchObject({
      cardId,
      threadId: 't-mention',
      actor: { userId: userOf(seeded, 'kemlu').id, ministryId: 'KEMLU' },
      details: { ministry: 'KP2MI', excerpt: 'Mohon data terbaru dari @KP2MI untuk paragraf ini.' },
      readAt: null,
    })
    // The writer, other ministries, and a KP2MI person of another deck get nothing.
    for (const key of ['kemlu', 'chair', 'suggester', 'viewer']) {
      expect(
        (await inboxOf(userOf(seeded, key))).items.filter((i) => i.kind === 'mention'),
        key,
      ).toEqual([])
    }
    expect((await inboxOf(outsider)).items).toEqual([])
    expect(outsiderLive.events).toEqual([{ unread: 0 }])
  })

  it('puts a reply in the inboxes of the thread’s earlier writers', async () => {
    const cardId = seeded.cardIds[2] as string
    const kemlu = userOf(seeded, 'kemlu')
    const live = await listen(kemlu)
    const kp2mi = await open('kp2mi', cardId)
    reply(kp2mi.doc, 't-mention', 'Data 2025 menyusul besok.')
    await kp2mi.saved()
    await eventually(() => live.events.some((e) => e.item?.kind === 'reply'), 'the live reply')
    const item = live.events.find((e) => e.item?.kind === 'reply')?.item
    expect(item).toMatchObject({
      threadId: 't-mention',
      actor: { userId: userOf(seeded, 'kp2mi').id },
      details: { excerpt: 'Data 2025 menyusul besok.' },
    })
    // The replier is not told of their own reply.
    expect(
      (await inboxOf(userOf(seeded, 'kp2mi'))).items.filter((i) => i.kind === 'reply'),
    ).toEqual([])
  })

  it('marks items read, and every open tab hears the new count', async () => {
    const kp2mi = userOf(seeded, 'kp2mi')
    const live = await listen(kp2mi)
    const before = await inboxOf(kp2mi)
    expect(before.unread).toBeGreaterThan(0)
    const first = before.items[0]?.id as string
    const read = await call(kp2mi, 'POST', '/api/me/inbox/read', { ids: [first] })
    expect(read.status).toBe(200)
    expect(((await read.json()) as { unread: number }).unread).toBe(before.unread - 1)
    await eventually(() => live.events.at(-1)?.unread === before.unread - 1, 'the new count')
    // Another person's item ids do nothing to theirs.
    const kemluItems = (await inboxOf(userOf(seeded, 'kemlu'))).items
    await call(kp2mi, 'POST', '/api/me/inbox/read', { ids: kemluItems.map((i) => i.id) })
    expect((await inboxOf(userOf(seeded, 'kemlu'))).items.every((i) => i.readAt === null)).toBe(
      true,
    )
    expect((await call(kp2mi, 'POST', '/api/me/inbox/read', {})).status).toBe(400)
    await call(kp2mi, 'POST', '/api/me/inbox/read', { all: true })
    expect((await inboxOf(kp2mi)).unread).toBe(0)
  })

  it('sends a ministry’s items to its focal persons once the chair names them', async () => {
    const chair = userOf(seeded, 'chair')
    const kp2mi = userOf(seeded, 'kp2mi')
    // Only members of that ministry in the deck may be named.
    expect(
      (
        await call(chair, 'PUT', `/api/decks/${seeded.deckId}/focal-persons/KP2MI`, {
          userIds: [userOf(seeded, 'kemlu').id],
        })
      ).status,
    ).toBe(400)
    expect(
      (await call(kp2mi, 'PUT', `/api/decks/${seeded.deckId}/focal-persons/KP2MI`, { userIds: [] }))
        .status,
    ).toBe(403)
    const itemsOfKemlu2 = async (threadId: string) => {
      const storage = await openTestStorage(seeded.dataDir)
      try {
        const items = await storage.inbox.listInbox('user-kemlu2', { unreadOnly: false, limit: 50 })
        return items.filter((i) => i.threadId === threadId)
      } finally {
        await storage.close()
      }
    }
    // Without focal persons, a mention of KEMLU reaches every KEMLU member of the deck.
    const before = await open('kp2mi', seeded.cardIds[5] as string)
    addThread(before.doc, 't-all', 'Untuk @Kemlu.', ['KEMLU'])
    await before.saved()
    await eventually(async () => (await itemsOfKemlu2('t-all')).length === 1, 'kemlu2’s item')
    const named = await call(chair, 'PUT', `/api/decks/${seeded.deckId}/focal-persons/KEMLU`, {
      userIds: [userOf(seeded, 'kemlu').id],
    })
    expect(named.status).toBe(200)
    expect(await named.json()).toEqual({
      focalPersons: [{ ministryId: 'KEMLU', userIds: [userOf(seeded, 'kemlu').id] }],
    })
    const cardId = seeded.cardIds[3] as string
    const writer = await open('kp2mi', cardId)
    addThread(writer.doc, 't-focal', 'Perlu konfirmasi @Kemlu.', ['KEMLU'])
    await writer.saved()
    await eventually(
      async () =>
        (await inboxOf(userOf(seeded, 'kemlu'))).items.some((i) => i.threadId === 't-focal'),
      'the focal person’s item',
    )
    // Another person of KEMLU is not a focal person: the mention is not theirs now.
    expect(await itemsOfKemlu2('t-focal')).toEqual([])
  })

  it('puts a mention of a person by name in that person’s inbox alone', async () => {
    const writer = await open('kp2mi', seeded.cardIds[6] as string)
    addThread(writer.doc, 't-person', 'Mohon @Test kemlu cek paragraf ini.', [])
    await writer.saved()
    const kemlu = userOf(seeded, 'kemlu')
    await eventually(
      async () => (await inboxOf(kemlu)).items.some((i) => i.threadId === 't-person'),
      'the person’s mention',
    )
    const item = (await inboxOf(kemlu)).items.find((i) => i.threadId === 't-person')
    expect(item).toMatchObject({ kind: 'mention', details: { person: true } })
    // Not a mention of their ministry: the other KEMLU person gets nothing.
    const storage = await openTestStorage(seeded.dataDir)
    try {
      const others = await storage.inbox.listInbox('user-kemlu2', { unreadOnly: false, limit: 50 })
      expect(others.filter((i) => i.threadId === 't-person')).toEqual([])
    } finally {
      await storage.close()
    }
  })

  it('keeps each person’s settings, and muted kinds stay out of their inbox', async () => {
    const suggester = userOf(seeded, 'suggester')
    const settings = await call(suggester, 'GET', '/api/me/notification-settings')
    expect(await settings.json()).toEqual({
      settings: { emailMentions: true, emailDigest: true, language: 'id', muted: [] },
      emailAvailable: false,
    })
    const changed = await call(suggester, 'PUT', '/api/me/notification-settings', {
      muted: ['mention'],
      language: 'en',
    })
    expect(
      ((await changed.json()) as { settings: { muted: string[]; language: string } }).settings,
    ).toMatchObject({ muted: ['mention'], language: 'en' })
    expect(
      (await call(suggester, 'PUT', '/api/me/notification-settings', { muted: ['nope'] })).status,
    ).toBe(400)
    const writer = await open('kemlu', seeded.cardIds[4] as string)
    addThread(writer.doc, 't-muted', 'Bagaimana menurut @Kemnaker?', ['KEMNAKER'])
    await writer.saved()
    const replier = await open('kemlu', seeded.cardIds[2] as string)
    reply(replier.doc, 't-mention', 'Terima kasih.')
    await replier.saved()
    // The reply above reached kp2mi (the other writer of t-mention): the server has handled both.
    await eventually(
      async () =>
        (await inboxOf(userOf(seeded, 'kp2mi'))).items.some(
          (i) => i.kind === 'reply' && i.details.excerpt === 'Terima kasih.',
        ),
      'the reply that follows the muted mention',
    )
    expect((await inboxOf(suggester)).items.filter((i) => i.kind === 'mention')).toEqual([])
  })
})
