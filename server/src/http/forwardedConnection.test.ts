/**
 * The relay to the node holding a document, over real websockets: what the holder sends as the
 * connection opens (its greeting: the whole answer as a SyncStep2, the role, presence) reaches the
 * person even though the relay starts later, and in order; a holder gone before the relay starts
 * sends the person away to reconnect.
 */
import Fastify from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import type { DocumentPlacement } from '../cluster/documentPlacement.ts'
import type { LeaseHolder } from '../store/postgres/DocumentLeases.ts'
import { eventually } from '../testing/eventually.ts'
import { relayForwarded, routeConnection } from './forwardedConnection.ts'

const log = Fastify({ logger: false }).log
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Socket events on this machine: polled often, and given up on after 5 s. */
const until = (check: () => boolean, what: string) =>
  eventually(check, what, { timeoutMs: 5_000, intervalMs: 10 })

describe('relaying a connection to the holder', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  /** A websocket server on a free port; `greet` runs on each connection it accepts. */
  async function server(greet: (socket: WebSocket) => void) {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    // Its sockets are ended first: the server's close waits for them otherwise.
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of wss.clients) socket.terminate()
          wss.close(() => resolve())
        }),
    )
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
    const address = wss.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const accepted: WebSocket[] = []
    wss.on('connection', (socket) => {
      accepted.push(socket)
      greet(socket)
    })
    return { port, accepted }
  }

  async function routed(holderPort: number) {
    const holder: LeaseHolder = {
      nodeId: 'holder',
      nodeUrl: `http://127.0.0.1:${holderPort}`,
      token: 1,
      expiresAt: Date.now() + 60_000,
    }
    const placement: Pick<DocumentPlacement, 'place' | 'takeOver'> = {
      place: async () => ({ here: false, holder }),
      takeOver: async () => ({ here: false, holder }),
    }
    return routeConnection(
      { placement: placement as DocumentPlacement, secret: 's'.repeat(32), connectTimeoutMs: 2000 },
      {
        documentName: 'card:c1',
        participant: {
          userId: 'u',
          deckId: 'd',
          role: 'editor',
          presence: { id: 'u', name: 'U', ministryId: 'M', ministry: 'M', color: '#000' },
        },
      },
      log,
    )
  }

  it('hands on the holder’s greeting sent before the relay started, then the rest, in order', async () => {
    // The holder greets at once, as a room does (Room.addConnection).
    const holder = await server((socket) => {
      for (const byte of [1, 2, 3]) socket.send(new Uint8Array([byte]))
    })
    const edge = await server(() => {})
    const upstream = await routed(holder.port)
    expect(upstream).not.toBeNull()
    // The person's upgrade completes a while after the holder greeted.
    await sleep(200)
    const person = new WebSocket(`ws://127.0.0.1:${edge.port}`)
    const received: number[] = []
    person.on('message', (data: Buffer) => received.push(data[0] as number))
    await until(() => edge.accepted.length === 1, 'the person’s socket')
    relayForwarded(edge.accepted[0] as WebSocket, upstream as WebSocket, log)
    holder.accepted[0]?.send(new Uint8Array([4]))
    await until(() => received.length === 4, 'four messages')
    expect(received).toEqual([1, 2, 3, 4])
    // And the other way.
    const fromPerson: number[] = []
    holder.accepted[0]?.on('message', (data: Buffer) => fromPerson.push(data[0] as number))
    person.send(new Uint8Array([9]))
    await until(() => fromPerson.length === 1, 'the person’s message at the holder')
    person.close()
    await until(() => upstream?.readyState === WebSocket.CLOSED, 'the relay to close')
  })

  it('a holder gone before the relay starts sends the person to reconnect (4503)', async () => {
    const holder = await server(() => {})
    const edge = await server(() => {})
    const upstream = await routed(holder.port)
    holder.accepted[0]?.terminate()
    await until(() => upstream?.readyState === WebSocket.CLOSED, 'the holder’s end to close')
    const person = new WebSocket(`ws://127.0.0.1:${edge.port}`)
    let closeCode = 0
    person.on('close', (code) => {
      closeCode = code
    })
    await until(() => edge.accepted.length === 1, 'the person’s socket')
    relayForwarded(edge.accepted[0] as WebSocket, upstream as WebSocket, log)
    await until(() => closeCode !== 0, 'the person’s socket to close')
    expect(closeCode).toBe(4503)
  })
})
