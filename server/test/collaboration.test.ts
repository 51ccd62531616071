/**
 * Live co-editing through a real server process: stock y-websocket clients converge, late
 * joiners get everything, and every update is acknowledged as Persisted.
 */
import { cardDocumentName } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answerXml, connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

/** A small seeded generator, so a failure can be replayed. */
function random(seedValue: number): () => number {
  let state = seedValue >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

function randomEdit(client: TestClient, next: () => number, label: string): void {
  const text = firstText(client.doc)
  if (text.length > 5 && next() < 0.3) {
    const index = Math.floor(next() * (text.length - 1))
    text.delete(index, Math.min(1 + Math.floor(next() * 3), text.length - index))
  } else {
    text.insert(Math.floor(next() * (text.length + 1)), `${label}${Math.floor(next() * 100)}`)
  }
}

describe('co-editing a card through the server', () => {
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
    const client = connectClient(
      server.wsUrl,
      cardDocumentName(seeded.cardIds[cardIndex] as string),
      seeded.users[user]?.token as string,
    )
    clients.push(client)
    return client
  }

  it('two stock clients converge on random concurrent edits', async () => {
    const a = open(0, 'kp2mi')
    const b = open(0, 'kemlu')
    await Promise.all([a.synced(), b.synced()])
    expect(answerXml(a.doc)).toBe(answerXml(b.doc))
    const nextA = random(1)
    const nextB = random(2)
    for (let round = 0; round < 40; round++) {
      // Several edits on both sides before either hears of the other's: truly concurrent.
      for (let i = 0; i < 3; i++) randomEdit(a, nextA, 'a')
      for (let i = 0; i < 3; i++) randomEdit(b, nextB, 'b')
      if (round % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await waitFor(() => answerXml(a.doc) === answerXml(b.doc), 10_000, 'convergence')
    expect(firstText(a.doc).toString()).toContain('a')
    expect(firstText(b.doc).toString()).toContain('b')
    await Promise.all([a.saved(), b.saved()])
  })

  it('each client receives Persisted for its updates', async () => {
    const a = open(1, 'chair')
    await a.synced()
    const before = a.persistedMessages
    for (let i = 0; i < 20; i++) {
      firstText(a.doc).insert(0, `${i} `)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    await a.saved()
    expect(a.sent()).toBeGreaterThanOrEqual(20)
    expect(a.persisted()).toBe(a.sent())
    expect(a.persistedMessages).toBeGreaterThan(before)
  })

  it('a client joining later gets the whole state', async () => {
    const a = open(2, 'kp2mi')
    await a.synced()
    firstText(a.doc).insert(0, 'Ditulis sebelum yang lain bergabung. ')
    await a.saved()
    const late = open(2, 'kemlu')
    await late.synced()
    expect(answerXml(late.doc)).toBe(answerXml(a.doc))
    expect(firstText(late.doc).toString()).toContain('Ditulis sebelum yang lain bergabung.')
  })
})
