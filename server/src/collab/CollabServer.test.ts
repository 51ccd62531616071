import { CloseCode, MessageType, Role, SyncMessageType } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ControlledStore, gate } from '../testing/ControlledStore.ts'
import {
  edit,
  participant,
  recordingLogger,
  settle,
  syncStep1,
  syncUpdate,
  TEST_ROOTS,
  TEXT,
  textOf,
  waitFor,
} from '../testing/collabFixtures.ts'
import { RecordingSocket } from '../testing/RecordingSocket.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { CollabServer } from './CollabServer.ts'
import { RoomManager } from './RoomManager.ts'

const NAME = 'card:collab-test'

describe('CollabServer', () => {
  let temp: TempStorage
  let store: ControlledStore
  let rooms: RoomManager
  let server: CollabServer

  beforeEach(async () => {
    temp = await openTempStorage()
    store = new ControlledStore(temp.storage.documents)
    const logger = recordingLogger()
    rooms = new RoomManager({
      store,
      logger,
      compactAfterUpdates: 1000,
      allowedRoots: TEST_ROOTS,
      unloadDelayMs: 0,
    })
    server = new CollabServer(rooms, logger)
  })

  afterEach(async () => {
    await server.close()
    await temp.cleanup()
  })

  it('buffers the messages sent during the load and replays them in order', async () => {
    await store.inner.appendUpdates(NAME, [edit(new Y.Doc(), 'server ')])
    store.loadGate = gate()
    const socket = new RecordingSocket()
    const handle = server.handleConnection(socket, participant('a', Role.Editor), NAME)
    const client = new Y.Doc()
    handle.onMessage(syncStep1(client))
    handle.onMessage(syncUpdate(edit(client, 'klien ')))
    await settle()
    expect(socket.sent).toEqual([])

    store.loadGate.open()
    await waitFor(() => socket.persisted().length > 0, 'Persisted')
    // The greeting (Step1, the stored answer as a Step2, the permission), the Step2 reply, the
    // server's record of the new client's author, then Persisted.
    expect(socket.types()).toEqual([
      MessageType.Sync,
      MessageType.Sync,
      MessageType.Permission,
      MessageType.Sync,
      MessageType.Sync,
      MessageType.Persisted,
    ])
    const [greeting, state, reply, authors] = socket.sync()
    expect(authors?.syncType).toBe(SyncMessageType.Update)
    expect(greeting?.syncType).toBe(SyncMessageType.Step1)
    expect(state?.syncType).toBe(SyncMessageType.Step2)
    expect(reply?.syncType).toBe(SyncMessageType.Step2)
    // Both sent before the update was applied: the greeting holds the stored text, and the
    // reply nothing more (the client holds the greeting by the time it reads the reply).
    expect(textOf({ snapshot: state?.payload ?? null, updates: [] })).toBe('server ')
    const client2 = new Y.Doc()
    Y.applyUpdate(client2, reply?.payload ?? new Uint8Array())
    expect(client2.getText(TEXT).toString()).toBe('')
    expect(socket.persisted().map((m) => m.seq)).toEqual([1])

    const room = rooms.get(NAME)
    expect(room?.doc.getText(TEXT).toString()).toContain('klien ')
    expect(textOf(await store.inner.loadDocument(NAME))).toBe(room?.doc.getText(TEXT).toString())
  })

  it('writes the messages of one commit to a connection in one corked write', async () => {
    const a = new RecordingSocket()
    const b = new RecordingSocket()
    const handleA = server.handleConnection(a, participant('a', Role.Editor), NAME)
    const handleB = server.handleConnection(b, participant('b', Role.Editor), NAME)
    await waitFor(() => a.sync().length > 0 && b.sync().length > 0, 'both greeted')
    store.appendGate = gate()
    // Held up by a slow commit, A's second update and B's end up in the next commit together:
    // A gets B's update and its own Persisted after it, in one write.
    handleA.onMessage(syncUpdate(edit(new Y.Doc(), 'satu ')))
    await settle()
    handleA.onMessage(syncUpdate(edit(new Y.Doc(), 'dua ')))
    handleB.onMessage(syncUpdate(edit(new Y.Doc(), 'tiga ')))
    store.appendGate.open()
    await waitFor(() => a.persisted().length === 2 && b.persisted().length === 1, 'Persisted')
    expect(a.batches.length).toBeGreaterThan(0)
    expect(a.batches.every((count) => count >= 2)).toBe(true)
    expect(b.batches).toEqual([2])
  })

  it('never joins a socket closed during the load, and releases the room', async () => {
    store.loadGate = gate()
    const socket = new RecordingSocket()
    const handle = server.handleConnection(socket, participant('a', Role.Editor), NAME)
    handle.onMessage(syncStep1(new Y.Doc()))
    handle.onClose()
    expect(server.connectionCount).toBe(0)

    store.loadGate.open()
    await waitFor(() => store.loadsFinished === 1 && rooms.size === 0, 'the room to unload')
    expect(socket.sent).toEqual([])
  })

  it('closes the socket with LoadFailed when the document cannot be loaded', async () => {
    store.loadError = new Error('disk gone')
    const socket = new RecordingSocket()
    server.handleConnection(socket, participant('a', Role.Editor), NAME)
    await waitFor(() => socket.closed !== null, 'the close')
    expect(socket.closed?.code).toBe(CloseCode.LoadFailed)
    expect(rooms.size).toBe(0)
  })

  it('closes the socket with MalformedMessage on broken framing', async () => {
    const socket = new RecordingSocket()
    const handle = server.handleConnection(socket, participant('a', Role.Editor), NAME)
    await waitFor(() => socket.sent.length > 0, 'the greeting')
    handle.onMessage(new Uint8Array([MessageType.Sync, 9]))
    expect(socket.closed?.code).toBe(CloseCode.MalformedMessage)
  })

  it('closes a connection whose room finishes loading while the server closes', async () => {
    store.loadGate = gate()
    const socket = new RecordingSocket()
    const handle = server.handleConnection(socket, participant('a', Role.Editor), NAME)
    const closing = server.close()
    store.loadGate.open()
    await closing
    expect(socket.closed?.code).toBe(CloseCode.ShuttingDown)

    // Its room is gone: a late update must not be acknowledged as stored.
    handle.onMessage(syncUpdate(edit(new Y.Doc(), 'terlambat')))
    await settle()
    expect(socket.persisted()).toEqual([])
    expect(textOf(await store.inner.loadDocument(NAME))).toBe('')
  })

  it('refuses new connections once it is closing', async () => {
    await server.close()
    const socket = new RecordingSocket()
    server.handleConnection(socket, participant('a', Role.Editor), NAME)
    expect(socket.closed?.code).toBe(CloseCode.ShuttingDown)
    await settle()
    expect(store.calls.load).toBe(0)
  })
})
