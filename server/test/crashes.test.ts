/**
 * kill -9 at random moments while 20 scripted clients edit 5 cards: after every restart, each
 * edit a client was told is Persisted is on the server, and in the end all clients converge
 * with the server.
 */
import net from 'node:net'
import { cardDocumentName } from '@kartu/protocol'
import { afterAll, describe, expect, it } from 'vitest'
import { answerXml, connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

function random(seedValue: number): () => number {
  let state = seedValue >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

type Writer = { client: TestClient; card: number; markers: string[]; acked: number }

describe('kill -9 at random moments', () => {
  const writers: Writer[] = []
  let server: ServerProcess | null = null
  afterAll(async () => {
    for (const w of writers) w.client.destroy()
    await server?.stop()
  })

  it('loses no acknowledged edit across 20 kills with 20 clients on 5 cards', async () => {
    const seeded = await seed()
    const port = await freePort()
    const env = { PORT: String(port) }
    server = await startServer(seeded.dataDir, env)
    const users = ['kp2mi', 'kemlu', 'chair'] as const
    for (let i = 0; i < 20; i++) {
      const card = i % 5
      const token = seeded.users[users[i % users.length] as string]?.token as string
      const client = connectClient(
        server.wsUrl,
        cardDocumentName(seeded.cardIds[card] as string),
        token,
      )
      writers.push({ client, card, markers: [], acked: 0 })
    }
    await Promise.all(writers.map((w) => w.client.synced()))

    // Each writer types a marker every few ms; whenever everything it sent is acknowledged on a
    // live connection, all markers typed so far count as acknowledged.
    let typing = true
    const next = random(2026)
    const typists = writers.map(async (w, index) => {
      let n = 0
      while (typing) {
        if (w.client.provider.synced) {
          const marker = `{${index}.${n++}}`
          firstText(w.client.doc).insert(0, marker)
          w.markers.push(marker)
        }
        if (w.client.provider.synced && w.client.persisted() >= w.client.sent()) {
          w.acked = w.markers.length
        }
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(next() * 20)))
      }
    })

    for (let kill = 0; kill < 20; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(next() * 400)))
      const acked = writers.map((w) => w.markers.slice(0, w.acked))
      await server.kill9()
      server = await startServer(seeded.dataDir, env)
      // What the server has now, read by fresh clients: every acknowledged marker must be there.
      for (let card = 0; card < 5; card++) {
        const reader = connectClient(
          server.wsUrl,
          cardDocumentName(seeded.cardIds[card] as string),
          seeded.users.chair?.token as string,
          { connect: true },
        )
        await reader.synced()
        const text = firstText(reader.doc).toString()
        reader.destroy()
        writers.forEach((w, index) => {
          if (w.card !== card) return
          for (const marker of acked[index] ?? []) expect(text).toContain(marker)
        })
      }
    }
    typing = false
    await Promise.all(typists)

    // Everyone converges with the server.
    // Crashes must not turn honest edits into refused ones (see Room: relay after commit).
    const refused = writers.flatMap((w, i) => w.client.rejected.map((r) => `${i}:${r.code}`))
    expect(refused).toEqual([])
    await Promise.all(writers.map((w) => w.client.saved(20_000)))
    for (let card = 0; card < 5; card++) {
      const reader = connectClient(
        server.wsUrl,
        cardDocumentName(seeded.cardIds[card] as string),
        seeded.users.chair?.token as string,
      )
      await reader.synced()
      for (const w of writers.filter((x) => x.card === card)) {
        await waitFor(
          () => answerXml(w.client.doc) === answerXml(reader.doc),
          20_000,
          'convergence',
        )
        for (const marker of w.markers) expect(firstText(reader.doc).toString()).toContain(marker)
      }
      reader.destroy()
    }
    const total = writers.reduce((sum, w) => sum + w.markers.length, 0)
    console.info(`crashes: 20 kills, ${total} edits by 20 clients on 5 cards, all on the server`)
  }, 240_000)
})
