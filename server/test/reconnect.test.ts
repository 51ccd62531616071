/**
 * Reconnect with backoff and jitter: 100 stock y-websocket clients, driven by the client's
 * jittered backoff (client/src/sync/reconnectBackoff.ts, which has no DOM dependency for this
 * reason), are connected to a real server; the server restarts; the clients' reconnects are
 * spread out in time rather than arriving in the same instant, and all 100 come back, with what
 * they wrote while the server was down merged.
 *
 * Stock y-websocket would retry every client at the same 200, 400, 800, 1600, 2500, 2500... ms
 * after the shared disconnect, so all of them would arrive within a few milliseconds.
 */
import { cardDocumentName, MessageType } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { attachJitteredReconnect } from '../../client/src/sync/reconnectBackoff.ts'
import { answerXml, firstText, waitFor } from './helpers/clients.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const CLIENTS = 100
/** The per-user connection limit (50 by default) is not what this test is about. */
const ENV = { KARTU_MAX_CONNECTIONS_PER_USER: '500' }

type Client = {
  index: number
  doc: Y.Doc
  provider: WebsocketProvider
  /** When each connection attempt was made (ms since the test's start). */
  attempts: number[]
  /** When each connection opened: the attempt arrived at the server. */
  opened: number[]
  marker: string
  /** The delay the backoff drew for each retry (ms). */
  drawnDelays: number[]
}

const startedAt = performance.now()
const now = (): number => performance.now() - startedAt

/** The largest number of times that fall into any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let busiest = 0
  let from = 0
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] as number) - (sorted[from] as number) >= windowMs) from++
    busiest = Math.max(busiest, to - from + 1)
  }
  return busiest
}

const spreadOf = (times: number[]): number => Math.max(...times) - Math.min(...times)

describe('reconnecting after a server restart', () => {
  let seeded: Seeded
  let server: ServerProcess
  const clients: Client[] = []

  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, ENV)
    // Each provider listens for the process's exit; a hundred of them are expected here.
    process.setMaxListeners(CLIENTS + 20)
  })
  afterAll(async () => {
    for (const client of clients) {
      client.provider.destroy()
      client.doc.destroy()
    }
    await server?.stop()
  })

  it('100 clients come back spread out in time, and all of them sync', async () => {
    const editors = [seeded.users.chair, seeded.users.kp2mi, seeded.users.kemlu]
    for (let index = 0; index < CLIENTS; index++) {
      const user = editors[index % editors.length]
      const cardId = seeded.cardIds[index % seeded.cardIds.length]
      if (!user || !cardId) throw new Error('seed is missing users or cards')
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(server.wsUrl, cardDocumentName(cardId), doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        params: { token: user.token },
        disableBc: true,
      })
      // Kartu's own messages; a stock client would log them as unknown.
      for (const type of [MessageType.Persisted, MessageType.Rejected, MessageType.Permission]) {
        provider.messageHandlers[type] = () => undefined
      }
      const reconnect = attachJitteredReconnect(provider)
      const client: Client = {
        index,
        doc,
        provider,
        attempts: [],
        opened: [],
        marker: `[c${index}]`,
        drawnDelays: [],
      }
      provider.on('status', ({ status }) => {
        if (status === 'connecting') client.attempts.push(now())
        if (status === 'connected') client.opened.push(now())
      })
      // Registered after the backoff's own listener, so it sees the delay just drawn.
      provider.on('connection-close', () => {
        if (reconnect.pendingDelayMs !== null) client.drawnDelays.push(reconnect.pendingDelayMs)
      })
      clients.push(client)
    }
    await waitFor(() => clients.every((c) => c.provider.synced), 60_000, 'all clients synced')

    // The restart. SIGTERM: the server stores every room and closes each socket with 4503.
    const port = server.port
    const stoppedAt = now()
    await server.stop()
    await waitFor(() => clients.every((c) => !c.provider.wsconnected), 10_000, 'all disconnected')

    // While the server is down, each client writes something of its own.
    for (const client of clients) firstText(client.doc).insert(0, client.marker)

    // Start again once every client has made its first retry (at most 2 s after the close), so
    // that the restart takes at least as long as a real one would, however fast this machine.
    const retried = (c: Client) => c.attempts.some((at) => at > stoppedAt)
    await waitFor(() => clients.every(retried), 10_000, 'a first retry by every client')
    server = await startServer(seeded.dataDir, { ...ENV, PORT: String(port) })
    const upAt = now()

    // All 100 come back (a retry may wait up to the 30 s cap) and sync.
    await waitFor(
      () => clients.every((c) => c.provider.synced && c.opened.some((at) => at > stoppedAt)),
      90_000,
      'every client reconnected and synced',
    )
    // What each wrote offline reached every client of the same card.
    const byCard = new Map<string, Client[]>()
    for (const client of clients) {
      const peers = byCard.get(client.provider.roomname) ?? []
      peers.push(client)
      byCard.set(client.provider.roomname, peers)
    }
    await waitFor(
      () =>
        [...byCard.values()].every((peers) =>
          peers.every((client) => {
            const xml = answerXml(client.doc)
            return peers.every((peer) => xml.includes(peer.marker))
          }),
        ),
      30_000,
      'offline writes merged everywhere',
    )

    // When the attempts were made and when the reconnects arrived.
    const firstDelays = clients.map((c) => c.drawnDelays[0] as number)
    const firstRetries = clients.map((c) => c.attempts.find((at) => at > stoppedAt) as number)
    const retries = clients.flatMap((c) => c.attempts.filter((at) => at > stoppedAt))
    const arrivals = clients.map((c) => c.opened.find((at) => at > stoppedAt) as number)
    const figures = {
      downtimeMs: Math.round(upAt - stoppedAt),
      firstDelaysDrawnMs: [Math.min(...firstDelays), Math.max(...firstDelays)],
      retries: retries.length,
      firstRetrySpreadMs: Math.round(spreadOf(firstRetries)),
      firstRetriesBusiestSecond: busiestWindow(firstRetries, 1000),
      arrivalSpreadMs: Math.round(spreadOf(arrivals)),
      arrivalsBusiestSecond: busiestWindow(arrivals, 1000),
      lastArrivalAfterUpMs: Math.round(Math.max(...arrivals) - upAt),
    }
    console.info('reconnect spread', figures)

    // First retries: the delays drawn lie in 0.5-2 s and are spread over it. (The measured times
    // of the first retries are only reported: on a loaded machine the timers of a hundred clients
    // may fire late, together.)
    expect(Math.min(...firstDelays)).toBeGreaterThanOrEqual(500)
    expect(Math.max(...firstDelays)).toBeLessThanOrEqual(2000)
    expect(spreadOf(firstDelays)).toBeGreaterThan(1000)
    expect(busiestWindow(firstDelays, 500)).toBeLessThan(CLIENTS)
    // Arrivals at the restarted server, as measured: spread over seconds, not all in one. A
    // simulation of this backoff with a restart of 2 s or more gives a spread of at least 3.3 s
    // and at most 59 arrivals in any second, over 2000 runs; with stock y-websocket, 89 of the
    // 100 arrived in the same second.
    expect(figures.arrivalSpreadMs).toBeGreaterThan(2500)
    expect(figures.arrivalsBusiestSecond).toBeLessThanOrEqual(75)
  }, 180_000)
})
