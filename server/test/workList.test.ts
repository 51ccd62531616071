/**
 * The dashboard as a work list, against a real server: search over questions (English and
 * Indonesian) and answers, a word's start included, never a card of another deck and never for
 * someone outside the deck; and the filters of one person's ministry.
 */
import {
  type CardResponse,
  type CardsResponse,
  cardDocumentName,
  type SearchResponse,
} from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dayIn } from '../src/inbox/dueDates.ts'
import { eventually } from '../src/testing/eventually.ts'
import { openTestStorage } from '../src/testing/testStore.ts'
import { callAs, userOf } from './helpers/api.ts'
import { connectClient, firstText, type TestClient } from './helpers/clients.ts'
import { addOtherDeck, type Seeded, type SeededUser, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

describe('the work list and search', () => {
  let seeded: Seeded
  let server: ServerProcess
  const clients: TestClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    // Another deck whose card asks the same words: it must never show in this deck's search.
    const otherDeck = await addOtherDeck(seeded)
    const storage = await openTestStorage(seeded.dataDir)
    try {
      const deck = await storage.repository.getDeck(seeded.deckId)
      await storage.repository.createCard({
        id: 'other-card',
        deckId: otherDeck,
        ref: 'UPR-01',
        cluster: deck?.clusters[0]?.id ?? 'K1',
        questionRef: '',
        question: 'What legislative changes did the other deck ask about?',
        questionId: 'Perubahan legislasi apa?',
        articles: [],
        leadMinistry: 'KP2MI',
        contributingMinistries: [],
        status: 'draft',
        timeBudgetSec: 120,
        position: 0,
        extra: {},
      })
    } finally {
      await storage.close()
    }
    server = await startServer(seeded.dataDir)
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })
  const call = (user: SeededUser, method: string, path: string, body?: unknown) =>
    callAs(server, user, method, path, body)
  const search = async (user: SeededUser, q: string) => {
    const response = await call(
      user,
      'GET',
      `/api/decks/${seeded.deckId}/search?q=${encodeURIComponent(q)}`,
    )
    expect(response.status, q).toBe(200)
    return ((await response.json()) as SearchResponse).hits
  }
  const cardsWith = async (user: SeededUser, query: string) => {
    const response = await call(user, 'GET', `/api/decks/${seeded.deckId}/cards?${query}`)
    expect(response.status, query).toBe(200)
    return ((await response.json()) as CardsResponse).cards.map((card) => card.ref)
  }

  it('finds a question by its English and its Indonesian words', async () => {
    const viewer = userOf(seeded, 'viewer')
    const english = await search(viewer, 'legislative changes')
    expect(english[0]).toMatchObject({ ref: 'CC-01', field: 'question' })
    expect(english[0]?.snippet).toContain('[[legislative]]')
    const indonesian = await search(viewer, 'legislasi')
    expect(indonesian[0]).toMatchObject({ ref: 'CC-01', field: 'questionId' })
    // The start of a word finds it; every word must be there.
    expect((await search(viewer, 'legisla')).map((hit) => hit.ref)).toContain('CC-01')
    expect(await search(viewer, 'legislative zzzqqq')).toEqual([])
    // Nothing of the other deck, even for the same words.
    expect(english.map((hit) => hit.cardId)).not.toContain('other-card')
  })

  it('finds an answer by a word written in it a moment ago', async () => {
    const cardId = seeded.cardIds[4] as string
    const client = connectClient(
      server.wsUrl,
      cardDocumentName(cardId),
      userOf(seeded, 'kp2mi').token,
    )
    clients.push(client)
    await client.synced()
    firstText(client.doc).insert(0, 'Pendataan di Wakatobi dan Nunukan. ')
    await client.saved()
    await eventually(
      async () => (await search(userOf(seeded, 'viewer'), 'wakatobi')).length > 0,
      'the answer indexed',
    )
    const [hit] = await search(userOf(seeded, 'viewer'), 'Wakatobi nunukan')
    expect(hit).toMatchObject({ cardId, field: 'answer' })
    expect(hit?.snippet).toContain('[[Wakatobi]]')
  })

  it('reads a query as words only, and answers only the deck’s members', async () => {
    const viewer = userOf(seeded, 'viewer')
    for (const q of ['"legislative', 'legislative OR', 'NEAR(a b)', '*', 'question:x', '"']) {
      expect(
        (await call(viewer, 'GET', `/api/decks/${seeded.deckId}/search?q=${encodeURIComponent(q)}`))
          .status,
        q,
      ).toBe(200)
    }
    expect((await call(viewer, 'GET', `/api/decks/${seeded.deckId}/search?q=`)).status).toBe(400)
    expect((await call(viewer, 'GET', '/api/decks/other-deck/search?q=legislative')).status).toBe(
      404,
    )
  })

  it('filters the cards for one person’s ministry', async () => {
    const chair = userOf(seeded, 'chair')
    const kemlu = userOf(seeded, 'kemlu')
    const cardId = seeded.cardIds[6] as string
    const ref = ((await (await call(chair, 'GET', `/api/cards/${cardId}`)).json()) as CardResponse)
      .card.ref
    const tomorrow = dayIn('Asia/Jakarta', Date.now() + 86_400_000)
    const assigned = await call(chair, 'PUT', `/api/cards/${cardId}/assignment`, {
      leadMinistryId: 'KP2MI',
      contributingMinistryIds: ['KEMLU'],
      dueDate: tomorrow,
    })
    expect(assigned.status).toBe(200)
    const mine = await cardsWith(kemlu, 'filter=mine')
    expect(mine).toContain(ref)
    expect(await cardsWith(kemlu, 'filter=waiting')).toContain(ref)
    expect(await cardsWith(kemlu, 'filter=mine,due_soon')).toContain(ref)
    expect(await cardsWith(userOf(seeded, 'viewer'), 'filter=mine')).not.toContain(ref)
    // Cleared: no longer waiting for KEMLU, still KP2MI's to clear.
    expect((await call(kemlu, 'POST', `/api/cards/${cardId}/clearances`)).status).toBe(201)
    expect(await cardsWith(kemlu, 'filter=waiting')).not.toContain(ref)
    expect(await cardsWith(userOf(seeded, 'kp2mi'), 'filter=waiting')).toContain(ref)
    // Status and cluster narrow the list; an unknown filter is refused.
    const all = (
      (await (
        await call(kemlu, 'GET', `/api/decks/${seeded.deckId}/cards`)
      ).json()) as CardsResponse
    ).cards
    const drafts = all.filter((card) => card.status === 'draft').map((card) => card.ref)
    expect(await cardsWith(kemlu, 'status=draft')).toEqual(drafts)
    const k2 = all.filter((card) => card.cluster === 'K2').map((card) => card.ref)
    expect(k2.length).toBeGreaterThan(0)
    expect(await cardsWith(kemlu, 'cluster=K2')).toEqual(k2)
    expect((await call(kemlu, 'GET', `/api/decks/${seeded.deckId}/cards?filter=nope`)).status).toBe(
      400,
    )
  })
})
