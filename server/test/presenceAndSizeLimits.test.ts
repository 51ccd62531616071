/**
 * Presence floods and oversized messages against a real server: a viewer announcing huge
 * states, many clientIDs, or more presence than a room may hold is closed with 4422, and a
 * newcomer downloads no more than the honest states; a message over KARTU_MAX_MESSAGE_BYTES is
 * closed with 4413 (not 1009, which y-websocket retries for ever).
 */
import { CloseCode, cardDocumentName, MessageType } from '@kartu/protocol'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { awarenessMessage } from '../src/testing/collabFixtures.ts'
import { answerXml, connectClient, firstText, waitFor } from './helpers/clients.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const ROOM_CAP = 40_000
const STATE_CAP = 4096

type Socket = { socket: WebSocket; closeCode: () => number | null; bytesIn: () => number }

/** A Sync Update frame whose payload is `bytes` long (content does not matter: size does). */
function updateFrame(bytes: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, 2)
  encoding.writeVarUint8Array(encoder, new Uint8Array(bytes))
  return encoding.toUint8Array(encoder)
}

const state = (padding: number) => ({ cursor: { anchor: 3, head: 3 }, pad: 'x'.repeat(padding) })

describe('presence floods and oversized messages', () => {
  let seeded: Seeded
  let server: ServerProcess
  const sockets: WebSocket[] = []
  let cardUrl: string

  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, {
      KARTU_PRESENCE_MAX_ROOM_BYTES: String(ROOM_CAP),
      KARTU_PRESENCE_MAX_STATE_BYTES: String(STATE_CAP),
    })
    cardUrl = `${server.wsUrl}/${cardDocumentName(seeded.cardIds[3] as string)}`
  })
  afterAll(async () => {
    for (const socket of sockets) socket.terminate()
    await server?.stop()
  })

  async function open(user: string, url = cardUrl): Promise<Socket> {
    const socket = new WebSocket(`${url}?token=${seeded.users[user]?.token}`)
    sockets.push(socket)
    let code: number | null = null
    let bytes = 0
    socket.on('close', (closeCode) => {
      code = closeCode
    })
    socket.on('message', (data: Buffer) => {
      if (data[0] === MessageType.Awareness) bytes += data.length
    })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    return { socket, closeCode: () => code, bytesIn: () => bytes }
  }

  it('closes a viewer that floods presence, and a newcomer gets only the honest states', async () => {
    const honest = await Promise.all(['chair', 'kp2mi', 'kemlu'].map((user) => open(user)))
    honest.forEach((person, i) => {
      person.socket.send(awarenessMessage([{ clientId: 1000 + i, state: state(100) }]))
    })

    // One huge state, under the message limit.
    const huge = await open('viewer')
    huge.socket.send(awarenessMessage([{ clientId: 7001, state: state(900_000) }]))
    // Many clientIDs in one message, each under the state limit.
    const many = await open('viewer')
    many.socket.send(
      awarenessMessage(
        Array.from({ length: 200 }, (_, i) => ({ clientId: 8000 + i, state: state(3000) })),
      ),
    )
    // Many connections, each with one state just under the limit: the room fills up.
    const crowd: Socket[] = []
    for (let i = 0; i < 20; i++) {
      const one = await open('viewer')
      one.socket.send(awarenessMessage([{ clientId: 9000 + i, state: state(STATE_CAP - 400) }]))
      crowd.push(one)
    }
    await waitFor(() => huge.closeCode() !== null && many.closeCode() !== null, 5_000, 'closes')
    expect(huge.closeCode()).toBe(CloseCode.PresenceRefused)
    expect(many.closeCode()).toBe(CloseCode.PresenceRefused)
    await waitFor(
      () => crowd.some((one) => one.closeCode() === CloseCode.PresenceRefused),
      5_000,
      'the room to be full',
    )
    expect(honest.every((person) => person.closeCode() === null)).toBe(true)

    const newcomer = await open('commenter')
    await new Promise((resolve) => setTimeout(resolve, 500))
    // The honest states and what the cap let in; nothing like the ~1.5 MB that was sent.
    expect(newcomer.bytesIn()).toBeGreaterThan(300)
    expect(newcomer.bytesIn()).toBeLessThanOrEqual(ROOM_CAP + 3 * 1000)
    const health = await fetch(`${server.httpUrl}/healthz`)
    expect(health.status).toBe(200)
  })

  it('closes an oversized message with 4413; past four times the limit ws itself closes', async () => {
    const over = await open('chair')
    over.socket.send(updateFrame(1024 * 1024 + 10))
    await waitFor(() => over.closeCode() !== null, 5_000, 'the 4413')
    expect(over.closeCode()).toBe(CloseCode.MessageTooLarge)

    const far = await open('chair')
    far.socket.send(updateFrame(4 * 1024 * 1024 + 10))
    await waitFor(() => far.closeCode() !== null, 5_000, 'the 1009')
    // ws sends 1009 and drops the socket while the frame is still arriving: the sender may see
    // the drop (1006) before the close frame.
    expect([1009, 1006]).toContain(far.closeCode())

    // Others carry on.
    const editor = connectClient(
      server.wsUrl,
      cardDocumentName(seeded.cardIds[3] as string),
      seeded.users.kp2mi?.token as string,
    )
    await editor.synced()
    firstText(editor.doc).insert(0, 'masih bisa ')
    await editor.saved()
    expect(answerXml(editor.doc)).toContain('masih bisa')
    editor.destroy()
  })
})
