/**
 * The activity of a deck and a card's timeline, against a real server process and stock
 * y-websocket clients: an edit (with how much), a suggestion, a comment thread, a decision and a
 * named version each appear, newest first, with the person who did them; the ministry filter and
 * the time filter keep only what they name; a non-member gets 404.
 */
import { type ActivityResponse, cardDocumentName } from '@kartu/protocol'
import { answerMarkFormat, DECISIONS_FIELD, SUGGESTIONS_FIELD, THREADS_FIELD } from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { callAs, userOf } from './helpers/api.ts'
import { removeFromDeck } from './helpers/cli.ts'
import { connectClient, firstText, type TestClient } from './helpers/clients.ts'
import { type Seeded, type SeededUser, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

describe('activity of a deck and of a card', () => {
  let seeded: Seeded
  let server: ServerProcess
  const clients: TestClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, { KARTU_VERSION_QUIET_MS: '3600000' })
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })
  const call = (user: SeededUser, path: string, method = 'GET', body?: unknown) =>
    callAs(server, user, method, path, body)
  const open = async (user: SeededUser, cardId: string) => {
    const client = connectClient(server.wsUrl, cardDocumentName(cardId), user.token)
    clients.push(client)
    await client.synced()
    return client
  }
  const events = async (user: SeededUser, path: string) => {
    const response = await call(user, path)
    expect(response.status).toBe(200)
    return ((await response.json()) as ActivityResponse).events
  }

  it('lists edits, suggestions, comments, decisions and versions with who did them', async () => {
    const kp2mi = userOf(seeded, 'kp2mi')
    const suggester = userOf(seeded, 'suggester')
    const chair = userOf(seeded, 'chair')
    const cardId = seeded.cardIds[0] as string
    const start = Date.now()

    const editor = await open(kp2mi, cardId)
    firstText(editor.doc).insert(0, 'Dua belas karakter. ')
    await editor.saved()

    const asSuggester = await open(suggester, cardId)
    asSuggester.doc.transact(() => {
      firstText(asSuggester.doc).insert(0, 'Usul. ', answerMarkFormat('insertion', { id: 's-a' }))
      asSuggester.doc
        .getMap(SUGGESTIONS_FIELD)
        .set('s-a', { kind: 'insert', createdAt: Date.now() })
      const thread = new Y.Map<unknown>()
      asSuggester.doc.getMap(THREADS_FIELD).set('t-a', thread)
      thread.set('quote', 'Usul.')
      thread.set('resolved', false)
      const comments = new Y.Array<Y.Map<unknown>>()
      thread.set('comments', comments)
      const first = new Y.Map<unknown>()
      comments.push([first])
      first.set('id', 'c-a')
      first.set('body', 'Mohon dipertimbangkan')
    })
    await asSuggester.saved()

    const named = await call(chair, `/api/cards/${cardId}/versions`, 'POST', { name: 'Draf 1' })
    expect(named.status).toBe(201)

    const feed = await events(chair, `/api/decks/${seeded.deckId}/activity?after=${start}`)
    expect(feed.map((e) => [e.kind, e.person?.userId])).toEqual([
      ['version', chair.id],
      ['edit', suggester.id],
      ['edit', kp2mi.id],
    ])
    const [version, suggested, edited] = feed
    expect(version?.details).toMatchObject({ name: 'Draf 1' })
    expect(version?.cardRef).toBe('CC-01')
    expect(suggested?.counts).toMatchObject({ suggestions: 1, comments: 1, insertedChars: 6 })
    expect(edited?.counts).toEqual({
      insertedChars: 'Dua belas karakter. '.length,
      deletedChars: 0,
      suggestions: 0,
      comments: 0,
    })
    // Newest first, and only what happened after `after`.
    for (let i = 1; i < feed.length; i++) {
      expect(feed[i - 1]?.at).toBeGreaterThanOrEqual(feed[i]?.at as number)
    }
    for (const event of feed) expect(event.at).toBeGreaterThanOrEqual(start)

    // By ministry: KP2MI's alone.
    const kp2miOnly = await events(
      chair,
      `/api/decks/${seeded.deckId}/activity?after=${start}&ministry=KP2MI`,
    )
    expect(kp2miOnly.map((e) => [e.kind, e.person?.ministryId])).toEqual([['edit', 'KP2MI']])

    // A decision, in the card's timeline.
    const asChair = await open(chair, cardId)
    const [markKey] = Object.keys(answerMarkFormat('insertion', { id: 's-a' }))
    asChair.doc.transact(() => {
      firstText(asChair.doc).format(0, 'Usul. '.length, { [markKey as string]: null })
      asChair.doc.getMap(SUGGESTIONS_FIELD).delete('s-a')
      asChair.doc.getArray(DECISIONS_FIELD).push([
        {
          suggestionId: 's-a',
          kind: 'insert',
          outcome: 'accepted',
          text: 'Usul. ',
          suggestedBy: null,
          reason: 'Disetujui rakor',
          at: Date.now(),
        },
      ])
    })
    await asChair.saved()
    expect(asChair.rejected).toEqual([])
    // The audit entry is written in the audit log's own batch: asked until it is there.
    let timeline = await events(suggester, `/api/cards/${cardId}/activity?after=${start}`)
    for (let tries = 0; !timeline.some((e) => e.kind === 'decision') && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      timeline = await events(suggester, `/api/cards/${cardId}/activity?after=${start}`)
    }
    expect(timeline.every((e) => e.cardId === cardId)).toBe(true)
    const decision = timeline.find((e) => e.kind === 'decision')
    expect(decision).toMatchObject({
      person: { userId: chair.id },
      details: { suggestionId: 's-a', decision: 'accepted', authorUserId: suggester.id },
    })
    expect(timeline.map((e) => e.kind)).toContain('version')

    // Nothing from another card in this card's timeline.
    const other = await events(chair, `/api/cards/${seeded.cardIds[1]}/activity?after=${start}`)
    expect(other).toEqual([])
  })

  it('closing a rakor session versions every card changed during it, and only those', async () => {
    const chair = userOf(seeded, 'chair')
    const kemlu = userOf(seeded, 'kemlu')
    const start = Date.now()
    const close = (user: SeededUser, name: string) =>
      call(user, `/api/decks/${seeded.deckId}/sessions`, 'POST', { name })
    expect((await close(kemlu, 'Rakor')).status).toBe(403)
    // The first test edited the first card: the first session versions it (and no other).
    const first = await close(chair, 'Rakor 3 Desember')
    expect(first.status).toBe(201)
    const { versions } = (await first.json()) as { versions: Array<{ cardId: string }> }
    expect(versions.map((v) => v.cardId)).toEqual([seeded.cardIds[0]])
    const list = await call(chair, `/api/cards/${seeded.cardIds[0]}/versions`)
    const named = ((await list.json()) as { versions: Array<{ kind: string; name: string }> })
      .versions
    expect(named[0]).toMatchObject({ kind: 'session', name: 'Rakor 3 Desember' })

    // Another card edited after it: the next session versions that one alone.
    const editor = await open(kemlu, seeded.cardIds[2] as string)
    firstText(editor.doc).insert(0, 'Sesi kedua. ')
    await editor.saved()
    const second = await close(chair, 'Rakor 4 Desember')
    expect(((await second.json()) as { versions: Array<{ cardId: string }> }).versions).toEqual([
      { cardId: seeded.cardIds[2], versionId: expect.any(String) },
    ])
    const feed = await events(chair, `/api/decks/${seeded.deckId}/activity?after=${start}`)
    expect(feed.filter((e) => e.kind === 'session').map((e) => e.details.name)).toEqual([
      'Rakor 4 Desember',
      'Rakor 3 Desember',
    ])
    expect((await close(chair, '')).status).toBe(400)
  })

  it('answers 400 for a bad filter and 404 to someone outside the deck, for all of history', async () => {
    const viewer = userOf(seeded, 'viewer')
    expect((await call(viewer, `/api/decks/${seeded.deckId}/activity?after=soon`)).status).toBe(400)
    expect((await call(viewer, `/api/decks/${seeded.deckId}/activity?limit=5000`)).status).toBe(400)
    const outsider = userOf(seeded, 'commenter')
    expect((await removeFromDeck(seeded, outsider.email)).code).toBe(0)
    expect((await call(outsider, `/api/decks/${seeded.deckId}/activity`)).status).toBe(404)
    expect((await call(outsider, `/api/cards/${seeded.cardIds[0]}/activity`)).status).toBe(404)
    // The rest of history answers the same: the card's existence is not told.
    const card = `/api/cards/${seeded.cardIds[0]}`
    for (const [path, method, body] of [
      [`${card}/changes?since=last-visit`, 'GET', undefined],
      [`${card}/versions`, 'GET', undefined],
      [`${card}/versions/any/compare`, 'GET', undefined],
      [`${card}/versions/any/restore`, 'POST', { reason: 'x' }],
      [`/api/decks/${seeded.deckId}/visits`, 'GET', undefined],
      [`/api/decks/${seeded.deckId}/sessions`, 'POST', { name: 'x' }],
    ] as const) {
      expect((await call(outsider, path, method, body)).status, path).toBe(404)
    }
  })
})
