/**
 * Who changed what, against a real server process and stock y-websocket clients: three people
 * insert, delete and format words of one answer; the changes since a named version and the
 * comparison of two versions name each of them, from what the server recorded of their
 * connections. A client that writes someone else's name into the authors map is refused and
 * changes nothing in the history. Each person is told what others changed since they last had
 * the card open, and the deck's visits count it per card.
 */
import {
  type ChangesResponse,
  cardDocumentName,
  type Version,
  type VersionComparison,
} from '@kartu/protocol'
import { AUTHORS_FIELD } from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callAs as call, userOf } from './helpers/api.ts'
import { connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { type Seeded, type SeededUser, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

describe('attributed changes of an answer', () => {
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
  const open = async (user: SeededUser, cardId: string) => {
    const client = connectClient(server.wsUrl, cardDocumentName(cardId), user.token)
    clients.push(client)
    await client.synced()
    return client
  }
  const nameVersion = async (user: SeededUser, cardId: string, name: string) => {
    const response = await call(server, user, 'POST', `/api/cards/${cardId}/versions`, { name })
    expect(response.status).toBe(201)
    return ((await response.json()) as { id: string }).id
  }

  it('names who inserted, deleted and formatted each word, with when', async () => {
    const chair = userOf(seeded, 'chair')
    const kp2mi = userOf(seeded, 'kp2mi')
    const kemlu = userOf(seeded, 'kemlu')
    const cardId = seeded.cardIds[0] as string
    const asKp2mi = await open(kp2mi, cardId)
    firstText(asKp2mi.doc).insert(0, 'Pekerja migran mendapat orientasi wajib. ')
    await asKp2mi.saved()
    const before = await nameVersion(chair, cardId, 'Sebelum rakor')

    const asKemlu = await open(kemlu, cardId)
    const asChair = await open(chair, cardId)
    const start = Date.now()
    // Kemlu deletes "orientasi", KP2MI types "pelatihan" there, the chair makes "wajib" bold.
    const at = 'Pekerja migran mendapat '.length
    firstText(asKemlu.doc).delete(at, 'orientasi '.length)
    await asKemlu.saved()
    await waitFor(() => !firstText(asKp2mi.doc).toString().includes('orientasi'), 5_000, 'relay')
    firstText(asKp2mi.doc).insert(at, 'pelatihan ')
    await asKp2mi.saved()
    await waitFor(() => firstText(asChair.doc).toString().includes('pelatihan'), 5_000, 'relay')
    firstText(asChair.doc).format(at + 'pelatihan '.length, 'wajib'.length, { bold: {} })
    await asChair.saved()

    const response = await call(
      server,
      kemlu,
      'GET',
      `/api/cards/${cardId}/changes?since=${before}`,
    )
    expect(response.status).toBe(200)
    const { since, changes } = (await response.json()) as ChangesResponse
    expect(since?.id).toBe(before)
    const person = (user: SeededUser, name: string, ministryId: string) => ({
      userId: user.id,
      name,
      ministryId,
    })
    expect(changes.map(({ at: _at, ids: _ids, ...change }) => change)).toEqual([
      { kind: 'delete', text: 'orientasi ', author: person(kemlu, 'Test kemlu', 'KEMLU') },
      { kind: 'insert', text: 'pelatihan ', author: person(kp2mi, 'Test kp2mi', 'KP2MI') },
      {
        kind: 'format',
        text: 'wajib',
        format: ['bold'],
        author: person(chair, 'Test chair', 'KEMENKO_POLKAM'),
      },
    ])
    for (const change of changes) {
      expect(change.at).toBeGreaterThanOrEqual(start)
      expect(change.at).toBeLessThanOrEqual(Date.now())
    }

    // The same changes between two versions, given in either order.
    const after = await nameVersion(kemlu, cardId, 'Sesudah rakor')
    for (const [from, to] of [
      [before, after],
      [after, before],
    ]) {
      const compared = await call(
        server,
        kp2mi,
        'GET',
        `/api/cards/${cardId}/versions/${from}/compare?to=${to}`,
      )
      expect(compared.status).toBe(200)
      const comparison = (await compared.json()) as VersionComparison
      expect((comparison.from as Version).id).toBe(before)
      expect(comparison.to?.id).toBe(after)
      expect(comparison.changes.map((c) => [c.kind, c.text, c.author?.ministryId])).toEqual([
        ['delete', 'orientasi ', 'KEMLU'],
        ['insert', 'pelatihan ', 'KP2MI'],
        ['format', 'wajib', 'KEMENKO_POLKAM'],
      ])
      const line = comparison.lines.find((l) => l.segments.some((s) => s.kind !== 'same'))
      expect(line?.segments.map((s) => s.text).join('')).toContain(
        'Pekerja migran mendapat orientasi pelatihan wajib.',
      )
    }
  })

  it('refuses a client that writes another person into the authors map, and history never names them', async () => {
    const chair = userOf(seeded, 'chair')
    const kemlu = userOf(seeded, 'kemlu')
    const cardId = seeded.cardIds[1] as string
    const before = await nameVersion(chair, cardId, 'Awal')
    const forger = await open(kemlu, cardId)
    // One update: a word, and the forger's clientID bound to the chair by the client itself.
    forger.doc.transact(() => {
      firstText(forger.doc).insert(0, 'Palsu ')
      forger.doc.getMap(AUTHORS_FIELD).set(String(forger.doc.clientID), {
        userId: chair.id,
        name: 'Test chair',
        ministryId: 'KEMENKO_POLKAM',
      })
    })
    await waitFor(() => forger.rejected.length > 0, 5_000, 'refusal of the forged author')
    const honest = await open(kemlu, cardId)
    firstText(honest.doc).insert(0, 'Jujur ')
    await honest.saved()

    const response = await call(
      server,
      chair,
      'GET',
      `/api/cards/${cardId}/changes?since=${before}`,
    )
    const { changes } = (await response.json()) as ChangesResponse
    expect(changes.map((c) => [c.kind, c.text, c.author?.userId])).toEqual([
      ['insert', 'Jujur ', kemlu.id],
    ])
  })

  it('answers 404 for an unknown version or a non-member, and 400 without `since`', async () => {
    const cardId = seeded.cardIds[2] as string
    const member = userOf(seeded, 'viewer')
    expect(
      (await call(server, member, 'GET', `/api/cards/${cardId}/changes?since=nope`)).status,
    ).toBe(404)
    expect((await call(server, member, 'GET', `/api/cards/${cardId}/changes`)).status).toBe(400)
    expect(
      (await call(server, member, 'GET', `/api/cards/${cardId}/versions/nope/compare`)).status,
    ).toBe(404)
  })
})

describe('changes since a person last looked', () => {
  let seeded: Seeded
  let server: ServerProcess
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, { KARTU_VERSION_QUIET_MS: '3600000' })
  })
  afterAll(async () => {
    await server?.stop()
  })

  /** Opens the card, makes a change (or none), waits for it to be stored, and leaves. */
  const visit = async (user: SeededUser, cardId: string, change?: (client: TestClient) => void) => {
    const client = connectClient(server.wsUrl, cardDocumentName(cardId), user.token)
    try {
      await client.synced()
      if (change) {
        change(client)
        await client.saved()
      }
    } finally {
      client.destroy()
    }
  }
  const changesSinceVisit = async (user: SeededUser, cardId: string) => {
    const response = await call(
      server,
      user,
      'GET',
      `/api/cards/${cardId}/changes?since=last-visit`,
    )
    expect(response.status).toBe(200)
    return (await response.json()) as ChangesResponse
  }
  /** The visit is written after the connection closed: asked until it is there. */
  const visitedSince = async (user: SeededUser, cardId: string, after: number) => {
    const start = Date.now()
    for (;;) {
      const answer = await changesSinceVisit(user, cardId)
      if (answer.visitedAt !== null && answer.visitedAt >= after) return answer
      if (Date.now() - start > 5_000) throw new Error(`no visit of ${user.id} recorded`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  it('tells each person what others changed since they last had the card open', async () => {
    const kp2mi = userOf(seeded, 'kp2mi')
    const kemlu = userOf(seeded, 'kemlu')
    const chair = userOf(seeded, 'chair')
    const viewer = userOf(seeded, 'viewer')
    const cardId = seeded.cardIds[3] as string
    const start = Date.now()
    await visit(kp2mi, cardId, (client) => firstText(client.doc).insert(0, 'Satu. '))
    await visitedSince(kp2mi, cardId, start)
    const kemluStart = Date.now()
    await visit(kemlu, cardId, (client) => firstText(client.doc).insert(0, 'Dua. '))
    await visitedSince(kemlu, cardId, kemluStart)
    await visit(chair, cardId, (client) =>
      firstText(client.doc).delete('Dua. '.length, 'Satu. '.length),
    )

    const forKp2mi = await changesSinceVisit(kp2mi, cardId)
    expect(forKp2mi.visitedAt).toBeGreaterThanOrEqual(start)
    expect(forKp2mi.changes.map((c) => [c.kind, c.text.trim(), c.author?.userId])).toEqual([
      ['insert', 'Dua.', kemlu.id],
      ['delete', 'Satu.', chair.id],
    ])
    const forKemlu = await changesSinceVisit(kemlu, cardId)
    expect(forKemlu.changes.map((c) => [c.kind, c.text.trim(), c.author?.userId])).toEqual([
      ['delete', 'Satu.', chair.id],
    ])
    // Never opened: nothing to compare with.
    expect(await changesSinceVisit(viewer, cardId)).toEqual({
      since: null,
      visitedAt: null,
      changes: [],
    })

    // The dashboard's count: others' edits since, per card.
    const visits = async (user: SeededUser) => {
      const response = await call(server, user, 'GET', `/api/decks/${seeded.deckId}/visits`)
      expect(response.status).toBe(200)
      return ((await response.json()) as { visits: Array<{ cardId: string; changes: number }> })
        .visits
    }
    expect((await visits(kp2mi)).find((v) => v.cardId === cardId)?.changes).toBe(2)
    expect((await visits(kemlu)).find((v) => v.cardId === cardId)?.changes).toBe(1)
    expect(await visits(viewer)).toEqual([])
  })
})
