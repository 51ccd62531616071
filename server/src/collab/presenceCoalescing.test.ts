/**
 * Presence coalesced per room: with many people on one deck document, each move is not sent to
 * everyone at once. The first change after a quiet interval goes out at once; the changes made
 * within the interval go out together, as one message holding each state as it is then.
 */
import { MessageType, Role } from '@kartu/protocol'
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
import { readAwarenessEntries } from './awarenessIdentity.ts'
import { CollabServer } from './CollabServer.ts'
import { RoomManager } from './RoomManager.ts'

const NAME = 'deck:coalesced'
const FLUSH_MS = 200

/** The awareness messages a socket was sent, each as its entries' clientIDs and states. */
function presenceMessages(
  socket: RecordingSocket,
): Array<Array<{ clientId: number; state: string }>> {
  const messages = []
  for (const message of socket.sent) {
    const decoder = decoding.createDecoder(message)
    if (decoding.readVarUint(decoder) !== MessageType.Awareness) continue
    messages.push(
      readAwarenessEntries(decoding.readVarUint8Array(decoder)).map(({ clientId, state }) => ({
        clientId,
        state,
      })),
    )
  }
  return messages
}

describe('presence, coalesced per room', () => {
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
      limits: { presenceFlushMs: FLUSH_MS },
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
    return { socket, send: (message: Uint8Array) => handle.onMessage(message) }
  }

  it('sends the first change at once and gathers the rest of the interval into one message', async () => {
    const watcher = await join('watcher')
    const people = await Promise.all(['a', 'b', 'c'].map(join))
    // Whatever the joins sent is over; from here, count.
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 2))
    watcher.socket.sent.length = 0

    const [a, b, c] = people as [typeof watcher, typeof watcher, typeof watcher]
    a.send(awarenessMessage([{ clientId: 21, state: { card: 'CC-01' } }]))
    // At once: nothing was sent in the last interval.
    expect(presenceMessages(watcher.socket)).toHaveLength(1)
    b.send(awarenessMessage([{ clientId: 22, state: { card: 'CC-02' } }]))
    c.send(awarenessMessage([{ clientId: 23, state: { card: 'CC-03' } }]))
    // Person a moves twice more within the interval: only where they are now goes out.
    a.send(awarenessMessage([{ clientId: 21, state: { card: 'CC-04' } }]))
    a.send(awarenessMessage([{ clientId: 21, state: { card: 'CC-05' } }]))
    expect(presenceMessages(watcher.socket)).toHaveLength(1)
    await waitFor(() => presenceMessages(watcher.socket).length === 2, 'the gathered message')
    const [first, gathered] = presenceMessages(watcher.socket)
    expect(first?.map((entry) => entry.clientId)).toEqual([21])
    expect(gathered?.map((entry) => entry.clientId).sort()).toEqual([21, 22, 23])
    const cards = Object.fromEntries(
      (gathered ?? []).map(({ clientId, state }) => [
        clientId,
        (JSON.parse(state) as { card: string }).card,
      ]),
    )
    expect(cards).toEqual({ 21: 'CC-05', 22: 'CC-02', 23: 'CC-03' })
    // Nothing more is pending: the next interval stays quiet.
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 2))
    expect(presenceMessages(watcher.socket)).toHaveLength(2)
  })
  it('sends what is pending to those here before a newcomer joins, and never again to it', async () => {
    const [a, watcher] = await Promise.all([join('a'), join('watcher')])
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 2))
    a.send(awarenessMessage([{ clientId: 31, state: { card: 'CC-01' } }]))
    // Within the interval: this one waits.
    a.send(awarenessMessage([{ clientId: 31, state: { card: 'CC-02' } }]))
    watcher.socket.sent.length = 0
    const newcomer = await join('newcomer')
    // Those already here got the pending change when the newcomer came.
    expect(presenceMessages(watcher.socket).flat()).toEqual([
      { clientId: 31, state: expect.stringContaining('CC-02') },
    ])
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 2))
    // The newcomer has the state once: in its greeting.
    const seen = presenceMessages(newcomer.socket)
      .flat()
      .filter((entry) => entry.clientId === 31)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.state).toContain('CC-02')
  })
})
