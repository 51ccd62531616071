/**
 * Hostile and malformed input aimed at one card while two honest clients edit another: random
 * bytes, truncated varints, unknown types, garbage inside valid framing, updates that declare huge
 * counts in a few bytes, and mutations of real messages. The server stays up, the honest clients'
 * round trips stay fast and they converge, and the attacked card's stored log still loads.
 */
import { cardDocumentName, MessageType } from '@kartu/protocol'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { openTestStorage } from '../src/testing/testStore.ts'
import { answerXml, connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

function random(seedValue: number): () => number {
  let state = seedValue >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

function frame(type: number, body: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  body(encoder)
  return encoding.toUint8Array(encoder)
}

/** Real update messages to mutate: edits of a card-shaped document. */
function validMessages(count: number): Uint8Array[] {
  const doc = new Y.Doc()
  const paragraph = new Y.XmlElement('paragraph')
  const messages: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) =>
    messages.push(frame(MessageType.Sync, (e) => syncProtocol.writeUpdate(e, update))),
  )
  doc.getXmlFragment('answer').insert(0, [paragraph])
  const text = new Y.XmlText()
  paragraph.insert(0, [text])
  for (let i = 0; i < count; i++) {
    if (i % 4 === 3) text.delete(0, 1)
    else
      text.insert(
        Math.floor(text.length / 2),
        `kata${i} `,
        i % 5 === 0 ? { bold: true } : undefined,
      )
  }
  return messages
}

/** Known shapes of crafted input. */
function craftedMessages(): Uint8Array[] {
  const huge = 0xffffffff
  return [
    new Uint8Array([]),
    new Uint8Array([0]),
    new Uint8Array([0, 2]),
    new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]), // declares a 4 GB update, sends none
    new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]), // endless varint
    new Uint8Array([42, 1, 2, 3]), // unknown type
    new Uint8Array([1, 5, 0xff, 0xff, 0xff, 0xff]), // awareness, truncated
    // Updates whose struct and delete counts are huge but whose bytes are few.
    frame(MessageType.Sync, (e) => {
      encoding.writeVarUint(e, 2)
      const inner = encoding.createEncoder()
      encoding.writeVarUint(inner, huge) // number of clients with structs
      encoding.writeVarUint(inner, 1)
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
    }),
    frame(MessageType.Sync, (e) => {
      encoding.writeVarUint(e, 2)
      const inner = encoding.createEncoder()
      encoding.writeVarUint(inner, 1) // one client
      encoding.writeVarUint(inner, huge) // with 4 billion structs
      encoding.writeVarUint(inner, 7) // client id
      encoding.writeVarUint(inner, 0) // clock
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
    }),
    frame(MessageType.Sync, (e) => {
      encoding.writeVarUint(e, 2)
      const inner = encoding.createEncoder()
      encoding.writeVarUint(inner, 0) // no structs
      encoding.writeVarUint(inner, 1) // delete set: one client
      encoding.writeVarUint(inner, 9)
      encoding.writeVarUint(inner, huge) // 4 billion ranges
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
    }),
    frame(MessageType.Sync, (e) => {
      encoding.writeVarUint(e, 2)
      const inner = encoding.createEncoder()
      encoding.writeVarUint(inner, 0)
      encoding.writeVarUint(inner, 1)
      encoding.writeVarUint(inner, 9)
      encoding.writeVarUint(inner, 1)
      encoding.writeVarUint(inner, 0)
      encoding.writeVarUint(inner, 2 ** 52) // one range of 2^52 deleted items
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
    }),
  ]
}

function mutate(message: Uint8Array, next: () => number): Uint8Array {
  const copy = Uint8Array.from(message)
  switch (Math.floor(next() * 4)) {
    case 0: // flip some bytes
      for (let i = 0; i < 1 + Math.floor(next() * 4); i++) {
        copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256)
      }
      return copy
    case 1: // truncate
      return copy.slice(0, Math.max(1, Math.floor(next() * copy.length)))
    case 2: {
      // splice in an endless-looking varint
      const at = 2 + Math.floor(next() * Math.max(1, copy.length - 2))
      return Uint8Array.from([
        ...copy.slice(0, at),
        0xff,
        0xff,
        0xff,
        0xff,
        0x7f,
        ...copy.slice(at),
      ])
    }
    default: // duplicate a tail
      return Uint8Array.from([...copy, ...copy.slice(Math.floor(next() * copy.length))])
  }
}

describe('hostile input against a running server', () => {
  let seeded: Seeded
  let server: ServerProcess
  const honest: TestClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    // The fuzzer must not be stopped by the rate limit before it has sent its messages.
    server = await startServer(seeded.dataDir, {
      KARTU_MAX_MESSAGES_PER_SECOND: '1000000',
    })
  })
  afterAll(async () => {
    for (const client of honest) client.destroy()
    await server?.stop()
  })

  it('stays up and keeps honest clients fast while 20,000 bad messages hit one card', async () => {
    const attacked = `${server.wsUrl}/${cardDocumentName(seeded.cardIds[0] as string)}?token=${seeded.users.kp2mi?.token}`
    const calmCard = cardDocumentName(seeded.cardIds[1] as string)
    const a = connectClient(server.wsUrl, calmCard, seeded.users.kemlu?.token as string)
    const b = connectClient(server.wsUrl, calmCard, seeded.users.chair?.token as string)
    honest.push(a, b)
    await Promise.all([a.synced(), b.synced()])

    const next = random(7)
    const valid = validMessages(300)
    const crafted = craftedMessages()
    const bad: Uint8Array[] = [...crafted]
    for (let i = 0; i < 10_000; i++) {
      if (i % 10 === 0) bad.push(crafted[i % crafted.length] as Uint8Array)
      const length = Math.floor(next() * 64)
      bad.push(Uint8Array.from({ length }, () => Math.floor(next() * 256)))
    }
    for (let i = 0; i < 10_000; i++) bad.push(mutate(valid[i % valid.length] as Uint8Array, next))

    // The attacker reconnects whenever the server closes on it, and keeps going.
    let sent = 0
    let closes = 0
    const attack = (async () => {
      while (sent < bad.length) {
        const socket = new WebSocket(attacked)
        await new Promise<void>((resolve) => {
          socket.on('open', () => {
            const burst = () => {
              let n = 0
              while (sent < bad.length && socket.readyState === socket.OPEN && n++ < 20) {
                socket.send(bad[sent++] as Uint8Array)
              }
              // Small bursts, so that most messages reach a connection the server still reads.
              if (sent < bad.length && socket.readyState === socket.OPEN) setTimeout(burst, 1)
              else socket.close()
            }
            burst()
          })
          socket.on('close', () => {
            closes++
            resolve()
          })
          socket.on('error', () => undefined)
        })
      }
    })()

    // Meanwhile the honest clients type; each edit's round trip is timed at the other client.
    const roundTrips: number[] = []
    let typing = true
    const typist = (async () => {
      let i = 0
      while (typing) {
        const marker = `[${i++}]`
        const start = performance.now()
        firstText(a.doc).insert(0, marker)
        await waitFor(() => firstText(b.doc).toString().includes(marker), 10_000, 'round trip')
        roundTrips.push(performance.now() - start)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })()
    await attack
    typing = false
    await typist

    roundTrips.sort((x, y) => x - y)
    const p99 = roundTrips[Math.floor(roundTrips.length * 0.99)] as number
    console.info(
      `hostile input: ${sent} bad messages over ${closes} connections; honest round trips n=${roundTrips.length}, p50 ${roundTrips[Math.floor(roundTrips.length / 2)]?.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    )
    expect(sent).toBe(bad.length)
    expect(roundTrips.length).toBeGreaterThan(10)
    expect(p99).toBeLessThan(250)
    await Promise.all([a.saved(), b.saved()])
    await waitFor(() => answerXml(a.doc) === answerXml(b.doc), 10_000, 'convergence')
    const health = await fetch(`${server.httpUrl}/healthz`)
    expect(health.status).toBe(200)

    // The attacked card's stored log still loads, after a restart too.
    await server.stop()
    server = await startServer(seeded.dataDir)
    const reader = connectClient(
      server.wsUrl,
      cardDocumentName(seeded.cardIds[0] as string),
      seeded.users.chair?.token as string,
    )
    honest.push(reader)
    await reader.synced()
    expect(answerXml(reader.doc).length).toBeGreaterThan(0)
    const storage = await openTestStorage(seeded.dataDir)
    await storage.close()
  })
})
