/**
 * Limits against a client that sends too much: oversized updates, a document that would grow past
 * its maximum, too many messages per second or while the room loads. Each breach gets a clear
 * answer and touches no other connection.
 */
import { CloseCode, RejectCode, Role } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ControlledStore, gate } from '../testing/ControlledStore.ts'
import {
  edit,
  participant,
  recordingLogger,
  syncStep1,
  syncUpdate,
  TEST_ROOTS,
  TEXT,
  waitFor,
} from '../testing/collabFixtures.ts'
import { RecordingSocket } from '../testing/RecordingSocket.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { CollabServer } from './CollabServer.ts'
import { RoomManager } from './RoomManager.ts'

const NAME = 'card:limits'

describe('limits on what one connection may send', () => {
  let temp: TempStorage
  let store: ControlledStore
  let rooms: RoomManager
  let server: CollabServer
  const logger = recordingLogger()

  beforeEach(async () => {
    temp = await openTempStorage()
    store = new ControlledStore(temp.storage.documents)
    rooms = new RoomManager({
      store,
      logger,
      compactAfterUpdates: 1000,
      allowedRoots: TEST_ROOTS,
      unloadDelayMs: 0,
      limits: { maxUpdateBytes: 2000, docWarnBytes: 3000, docMaxBytes: 6000 },
    })
    server = new CollabServer(rooms, logger, {
      maxMessagesPerSecond: 20,
      maxBufferedMessages: 5,
      maxMessageBytes: 4000,
    })
  })
  afterEach(async () => {
    await server.close()
    await temp.cleanup()
  })

  const join = async (user: string) => {
    const socket = new RecordingSocket()
    const handle = server.handleConnection(socket, participant(user, Role.Editor), NAME)
    await waitFor(() => socket.sent.length > 0, 'the greeting')
    return { socket, handle }
  }

  it('refuses an oversized update, and later a document past its maximum', async () => {
    const { socket, handle } = await join('a')
    const other = await join('b')
    const client = new Y.Doc()
    handle.onMessage(syncUpdate(edit(client, 'x'.repeat(3000))))
    await waitFor(() => socket.rejected().length === 1, 'the refusal')
    expect(socket.rejected()[0]?.code).toBe(RejectCode.UpdateTooLarge)

    // Grow in allowed steps until the document is full.
    for (let i = 0; i < 6; i++) {
      handle.onMessage(syncUpdate(edit(new Y.Doc(), `${i}`.repeat(1500))))
      await new Promise((resolve) => setTimeout(resolve, 60))
    }
    await waitFor(() => socket.rejected().length >= 2, 'the size refusal')
    expect(socket.rejected().at(-1)?.code).toBe(RejectCode.DocumentTooLarge)
    expect(logger.entries.some((e) => /large document/.test(e.msg ?? ''))).toBe(true)
    expect(socket.closed).toBeNull()
    expect(other.socket.closed).toBeNull()
  })

  it('closes a connection that sends a message over the limit with 4413, and only that one', async () => {
    const big = await join('a')
    const calm = await join('b')
    big.handle.onMessage(syncUpdate(edit(new Y.Doc(), 'y'.repeat(1500))))
    await waitFor(() => big.socket.persisted().length === 1, 'the small update stored')
    big.handle.onMessage(syncUpdate(edit(new Y.Doc(), 'z'.repeat(5000))))
    expect(big.socket.closed?.code).toBe(CloseCode.MessageTooLarge)
    expect(big.socket.rejected()).toEqual([])
    expect(calm.socket.closed).toBeNull()
    expect(rooms.get(NAME)?.doc.getText(TEXT).toString()).not.toContain('zzz')
  })

  it('closes a connection that sends faster than the rate, and only that one', async () => {
    const flooder = await join('a')
    const calm = await join('b')
    const client = new Y.Doc()
    for (let i = 0; i < 200 && !flooder.socket.closed; i++) {
      flooder.handle.onMessage(syncStep1(client))
    }
    expect(flooder.socket.closed?.code).toBe(CloseCode.RateLimited)
    calm.handle.onMessage(syncUpdate(edit(new Y.Doc(), 'tenang')))
    await waitFor(() => calm.socket.persisted().length === 1, 'the calm client’s Persisted')
    expect(calm.socket.closed).toBeNull()
    expect(rooms.get(NAME)?.doc.getText(TEXT).toString()).toContain('tenang')
  })

  it('closes a connection that sends too much while its room loads', async () => {
    store.loadGate = gate()
    const socket = new RecordingSocket()
    const handle = server.handleConnection(socket, participant('a', Role.Editor), NAME)
    for (let i = 0; i < 10; i++) handle.onMessage(syncStep1(new Y.Doc()))
    expect(socket.closed?.code).toBe(CloseCode.RateLimited)
    store.loadGate.open()
  })
})
