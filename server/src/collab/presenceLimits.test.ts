/**
 * Presence (awareness) within bounds: one state per connection, for its own clientID, of a few
 * kilobytes, and no more presence per room than a newcomer can be handed. Over a bound the
 * message is dropped and the connection closed with 4422; the others are untouched.
 */
import { CloseCode, MessageType, Role } from '@kartu/protocol'
import * as decoding from 'lib0/decoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  awarenessMessage,
  participant,
  recordingLogger,
  TEST_ROOTS,
  waitFor,
} from '../testing/collabFixtures.ts'
import { RecordingSocket } from '../testing/RecordingSocket.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { CollabServer } from './CollabServer.ts'
import { RoomManager } from './RoomManager.ts'

const NAME = 'card:presence'
const STATE_LIMIT = 1000
const ROOM_LIMIT = 3000

/** Bytes of awareness a socket was sent. */
function awarenessBytes(socket: RecordingSocket): number {
  let bytes = 0
  for (const message of socket.sent) {
    const decoder = decoding.createDecoder(message)
    if (decoding.readVarUint(decoder) === MessageType.Awareness) bytes += message.length
  }
  return bytes
}

const caret = (padding = 0) => ({ cursor: { anchor: 1, head: 4 }, note: 'x'.repeat(padding) })

describe('presence limits', () => {
  let temp: TempStorage
  let rooms: RoomManager
  let server: CollabServer

  beforeEach(async () => {
    temp = await openTempStorage()
    rooms = new RoomManager({
      store: temp.storage.documents,
      logger: recordingLogger(),
      compactAfterUpdates: 1000,
      allowedRoots: TEST_ROOTS,
      unloadDelayMs: 0,
      limits: { presenceMaxStateBytes: STATE_LIMIT, presenceMaxRoomBytes: ROOM_LIMIT },
    })
    server = new CollabServer(rooms, recordingLogger())
  })
  afterEach(async () => {
    await server.close()
    await temp.cleanup()
  })

  const join = async (user: string) => {
    const socket = new RecordingSocket()
    const handle = server.handleConnection(socket, participant(user, Role.Viewer), NAME)
    await waitFor(() => socket.sent.length > 0, 'the greeting')
    const send = (message: Uint8Array) => {
      handle.onMessage(message)
      // A real socket's close event follows the server's close.
      if (socket.closed) handle.onClose()
    }
    return { socket, send, leave: () => handle.onClose() }
  }
  const states = () => rooms.get(NAME)?.awareness.getStates() ?? new Map()
  const noteOf = (clientId: number) =>
    (states().get(clientId) as { note: string } | undefined)?.note

  it('takes an honest state, and refuses one over the size limit', async () => {
    const honest = await join('a')
    honest.send(awarenessMessage([{ clientId: 11, state: caret() }]))
    const big = await join('b')
    big.send(awarenessMessage([{ clientId: 12, state: caret(STATE_LIMIT) }]))
    expect(big.socket.closed?.code).toBe(CloseCode.PresenceRefused)
    expect(states().has(12)).toBe(false)
    expect(states().has(11)).toBe(true)
    expect(honest.socket.closed).toBeNull()
  })

  it('refuses states for clientIDs other than the connection’s own', async () => {
    const liar = await join('a')
    liar.send(awarenessMessage([{ clientId: 21, state: caret() }]))
    liar.send(awarenessMessage([{ clientId: 21, state: caret(10) }]))
    expect(liar.socket.closed).toBeNull()
    liar.send(awarenessMessage([{ clientId: 22, state: caret() }]))
    expect(liar.socket.closed?.code).toBe(CloseCode.PresenceRefused)
    expect(states().has(22)).toBe(false)
    // Its own state went with the connection.
    expect(states().has(21)).toBe(false)

    const many = await join('b')
    many.send(
      awarenessMessage(
        Array.from({ length: 50 }, (_, i) => ({ clientId: 100 + i, state: caret() })),
      ),
    )
    expect(many.socket.closed?.code).toBe(CloseCode.PresenceRefused)
    expect(states().size).toBe(0)
  })

  it('skips the echoes y-websocket sends back, and takes a reconnect’s own state again', async () => {
    const a = await join('a')
    a.send(awarenessMessage([{ clientId: 31, state: caret() }]))
    const b = await join('b')
    b.send(awarenessMessage([{ clientId: 32, state: caret() }]))
    // b echoes a's state, as y-websocket does with every state it receives.
    b.send(
      awarenessMessage([
        { clientId: 31, state: caret(5) },
        { clientId: 32, state: caret(6) },
      ]),
    )
    expect(b.socket.closed).toBeNull()
    expect(noteOf(31)).toBe('')
    expect(noteOf(32)).toBe('x'.repeat(6))
    // a leaves; b's late echo of a's state and of its departure change nothing.
    a.send(awarenessMessage([{ clientId: 31, state: null }]))
    b.send(awarenessMessage([{ clientId: 31, state: caret(7) }]))
    expect(b.socket.closed).toBeNull()
    expect(states().has(31)).toBe(false)
    // a's connection closes; a comes back on a new one with the same clientID: its own again.
    a.leave()
    const again = await join('a')
    again.send(awarenessMessage([{ clientId: 31, state: caret(8) }]))
    expect(again.socket.closed).toBeNull()
    expect(noteOf(31)).toBe('x'.repeat(8))
    // Someone else may not take a's clientID for their own.
    const c = await join('c')
    c.send(awarenessMessage([{ clientId: 33, state: caret() }]))
    expect(states().has(33)).toBe(true)
  })

  it('keeps the presence of a reconnect that arrives before its old connection is gone', async () => {
    const old = await join('a')
    old.send(awarenessMessage([{ clientId: 41, state: caret() }]))
    // The network dropped and the client came back at once, on a new socket, with the same
    // clientID, before the server saw the old socket close (a half-open TCP connection).
    const fresh = await join('a')
    fresh.send(awarenessMessage([{ clientId: 41, state: caret(3) }]))
    expect(fresh.socket.closed).toBeNull()
    expect(noteOf(41)).toBe('xxx')
    // The old socket's close, when it comes, takes nothing of the new connection's.
    old.leave()
    expect(noteOf(41)).toBe('xxx')
    // Another person still cannot take that clientID, nor remove it.
    const other = await join('b')
    other.send(awarenessMessage([{ clientId: 41, state: caret(9) }]))
    other.send(awarenessMessage([{ clientId: 41, state: null }]))
    expect(noteOf(41)).toBe('xxx')
    // The new connection's own close removes it.
    fresh.leave()
    expect(states().has(41)).toBe(false)
  })

  it('lets a second tab of the same person echo the first tab’s presence without taking it', async () => {
    const first = await join('a')
    first.send(awarenessMessage([{ clientId: 51, state: caret() }]))
    const second = await join('a')
    // Its own state, then its echo of the greeting (every state of the room, its own among them).
    second.send(awarenessMessage([{ clientId: 52, state: caret(2) }]))
    second.send(
      awarenessMessage([
        { clientId: 51, state: caret(7) },
        { clientId: 52, state: caret(2) },
      ]),
    )
    expect(second.socket.closed).toBeNull()
    expect(noteOf(51)).toBe('')
    // Closing the second tab takes its own presence only.
    second.leave()
    expect(states().has(52)).toBe(false)
    expect(states().has(51)).toBe(true)
  })

  it('holds the room’s presence under its cap; a newcomer gets no more than that', async () => {
    const people = []
    for (let i = 0; i < 6; i++) {
      const person = await join(`p${i}`)
      person.send(awarenessMessage([{ clientId: 300 + i, state: caret(STATE_LIMIT - 200) }]))
      people.push(person)
    }
    const closed = people.filter((p) => p.socket.closed?.code === CloseCode.PresenceRefused)
    expect(closed.length).toBeGreaterThan(0)
    expect(people[0]?.socket.closed).toBeNull()
    const newcomer = await join('late')
    expect(awarenessBytes(newcomer.socket)).toBeLessThanOrEqual(ROOM_LIMIT + 200)
    // Leaving frees room for someone else.
    const left = people.find((p) => p.socket.closed === null)
    expect(left).toBeDefined()
    left?.send(awarenessMessage([{ clientId: 300 + people.indexOf(left), state: null }]))
    const next = await join('next')
    next.send(awarenessMessage([{ clientId: 400, state: caret(STATE_LIMIT - 200) }]))
    expect(next.socket.closed).toBeNull()
  })
})
