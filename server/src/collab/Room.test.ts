import { MessageType, RejectCode, Role, SyncMessageType } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ControlledStore, gate } from '../testing/ControlledStore.ts'
import {
  edit,
  participant,
  recordingLogger,
  settle,
  syncStep1,
  syncStep2,
  syncUpdate,
  TEST_ROOTS,
  TEXT,
  textOf,
} from '../testing/collabFixtures.ts'
import { RecordingSocket } from '../testing/RecordingSocket.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { Room } from './Room.ts'

const NAME = 'card:room-test'

describe('Room', () => {
  let temp: TempStorage
  let store: ControlledStore
  let room: Room
  let logger: ReturnType<typeof recordingLogger>

  beforeEach(async () => {
    logger = recordingLogger()
    temp = await openTempStorage()
    store = new ControlledStore(temp.storage.documents)
    room = await Room.load(NAME, {
      store,
      logger,
      compactAfterUpdates: 1000,
      allowedRoots: TEST_ROOTS,
    })
  })

  afterEach(async () => {
    room.destroy()
    await temp.cleanup()
  })

  function join(userId: string, role: Role = Role.Editor) {
    const socket = new RecordingSocket()
    return { socket, connection: room.addConnection(socket, participant(userId, role)) }
  }

  function storedText(): Promise<string> {
    return store.inner.loadDocument(NAME).then(textOf)
  }

  it('greets a new connection with its state vector (SyncStep1) and the whole answer (SyncStep2)', () => {
    const { socket } = join('a')
    expect(socket.sync()).toEqual([
      { syncType: SyncMessageType.Step1, payload: Y.encodeStateVector(room.doc) },
      { syncType: SyncMessageType.Step2, payload: Y.encodeStateAsUpdate(room.doc) },
    ])
  })

  it('answers SyncStep1 with only what the greeting did not carry', async () => {
    room.doc.getText(TEXT).insert(0, 'tersimpan ')
    await room.drain()
    const { socket, connection } = join('a')
    // Written after the greeting was sent: the answer must carry it, and only it.
    room.doc.getText(TEXT).insert(0, 'baru ')
    await room.drain()
    const client = new Y.Doc()
    room.handleMessage(connection, syncStep1(client))
    await room.drain()
    const [greeting, answer] = socket.sync().filter((f) => f.syncType === SyncMessageType.Step2)
    Y.applyUpdate(client, greeting?.payload ?? new Uint8Array())
    expect(client.getText(TEXT).toString()).toBe('tersimpan ')
    const onlyAnswer = new Y.Doc()
    Y.applyUpdate(onlyAnswer, answer?.payload ?? new Uint8Array())
    // Without the greeting the answer's insertion cannot be placed: it holds nothing else.
    expect(onlyAnswer.getText(TEXT).toString()).toBe('')
    Y.applyUpdate(client, answer?.payload ?? new Uint8Array())
    expect(client.getText(TEXT).toString()).toBe(room.doc.getText(TEXT).toString())
  })

  it('greets a large answer with SyncStep1 only: the client asks for what it lacks', async () => {
    room.doc.getText(TEXT).insert(0, 'x'.repeat(300 * 1024))
    await room.drain()
    const { socket, connection } = join('a')
    expect(socket.sync().map((f) => f.syncType)).toEqual([SyncMessageType.Step1])
    room.handleMessage(connection, syncStep1(new Y.Doc()))
    await room.drain()
    const answer = socket.sync().find((f) => f.syncType === SyncMessageType.Step2)
    expect(answer && textOf({ snapshot: answer.payload, updates: [] })).toHaveLength(300 * 1024)
  })

  it('tells its listeners in order, after the binding; a listener that throws stops nothing', async () => {
    const heard: string[] = []
    const listening = await Room.load('card:listened', {
      store,
      logger,
      compactAfterUpdates: 1000,
      allowedRoots: TEST_ROOTS,
      listeners: [
        {
          updateApplied: ({ doc, newClients }) => {
            // The binding listened first: the new clientID is bound already.
            heard.push(`applied ${doc.getMap('authors').has(String(newClients[0]))}`)
            throw new Error('a broken listener')
          },
        },
        {
          updateApplied: () => heard.push('second applied'),
          stored: (stored) => heard.push(`stored ${stored.name}`),
        },
      ],
    })
    try {
      const socket = new RecordingSocket()
      const connection = listening.addConnection(socket, participant('a', Role.Editor))
      store.appendGate = gate()
      listening.handleMessage(connection, syncUpdate(edit(new Y.Doc(), 'halo')))
      await settle()
      expect(heard).toEqual(['applied true', 'second applied'])
      store.appendGate.open()
      await listening.drain()
      expect(heard).toEqual(['applied true', 'second applied', 'stored card:listened'])
      expect(socket.persisted().map((m) => m.seq)).toEqual([1])
      expect(textOf(await store.inner.loadDocument('card:listened'))).toBe('halo')
      expect(logger.entries.some((entry) => entry.msg === 'room listener failed')).toBe(true)
    } finally {
      listening.destroy()
    }
  })

  it('sends Persisted only after the commit', async () => {
    const { socket, connection } = join('a')
    store.appendGate = gate()
    room.handleMessage(connection, syncUpdate(edit(new Y.Doc(), 'halo')))
    await settle()
    expect(store.calls.append).toBe(1)
    expect(socket.persisted()).toEqual([])
    expect(await storedText()).toBe('')

    store.appendGate.open()
    await room.drain()
    expect(socket.persisted()).toEqual([
      { type: MessageType.Persisted, seq: 1, stateVector: Y.encodeStateVector(room.doc) },
    ])
    expect(await storedText()).toBe('halo')
  })

  it('counts SyncStep2 and Update per connection in Persisted, not SyncStep1', async () => {
    const a = join('a')
    const b = join('b')
    const clientA = new Y.Doc()
    edit(clientA, 'from step2 ')
    room.handleMessage(a.connection, syncStep1(clientA))
    room.handleMessage(a.connection, syncStep2(clientA))
    const update = edit(clientA, 'A ')
    room.handleMessage(a.connection, syncUpdate(update))
    room.handleMessage(b.connection, syncUpdate(edit(new Y.Doc(), 'B ')))
    await room.drain()
    // A duplicate changes nothing, but is still counted and acknowledged.
    room.handleMessage(a.connection, syncUpdate(update))
    await room.drain()

    // Each message's changes are committed when the message is done: SyncStep2 is 1, the
    // update 2, the duplicate 3 (SyncStep1 is not counted).
    expect(a.socket.persisted().map((m) => m.seq)).toEqual([1, 2, 3])
    expect(b.socket.persisted().map((m) => m.seq)).toEqual([1])
    expect(a.socket.sync().map((f) => f.syncType)).toContain(SyncMessageType.Step2)
    expect(await storedText()).toBe(room.doc.getText(TEXT).toString())
    expect(room.doc.getText(TEXT).toString()).toContain('A from step2 ')
  })

  it("refuses a viewer's update with read_only: not applied, not relayed", async () => {
    const viewer = join('v', Role.Viewer)
    const editor = join('e')
    const relayedBefore = editor.socket.sync().length
    room.handleMessage(viewer.connection, syncUpdate(edit(new Y.Doc(), 'nope')))
    room.handleMessage(viewer.connection, syncUpdate(edit(new Y.Doc(), 'nope again')))
    await room.drain()

    expect(viewer.socket.rejected()).toEqual([
      {
        type: MessageType.Rejected,
        seq: 1,
        code: RejectCode.ReadOnly,
        message: 'role viewer may not edit',
      },
      {
        type: MessageType.Rejected,
        seq: 2,
        code: RejectCode.ReadOnly,
        message: 'role viewer may not edit',
      },
    ])
    expect(viewer.socket.persisted()).toEqual([])
    expect(room.doc.getText(TEXT).toString()).toBe('')
    expect(editor.socket.sync()).toHaveLength(relayedBefore)
    expect(store.calls.append).toBe(0)
  })

  it('still answers SyncStep1 from a viewer: viewers can read', async () => {
    room.doc.getText(TEXT).insert(0, 'dibaca')
    await room.drain()
    const viewer = join('v', Role.Viewer)
    room.handleMessage(viewer.connection, syncStep1(new Y.Doc()))
    const reply = viewer.socket.sync().find((f) => f.syncType === SyncMessageType.Step2)
    expect(reply && textOf({ snapshot: reply.payload, updates: [] })).toBe('dibaca')
  })

  it('refuses garbage in a valid frame with malformed_update and keeps working', async () => {
    const { socket, connection } = join('a')
    room.handleMessage(connection, syncUpdate(new Uint8Array([255, 255, 255, 255, 1, 2, 3])))
    expect(socket.rejected()).toEqual([
      {
        type: MessageType.Rejected,
        seq: 1,
        code: RejectCode.MalformedUpdate,
        message: 'malformed update',
      },
    ])
    room.handleMessage(connection, syncUpdate(edit(new Y.Doc(), 'masih jalan')))
    await room.drain()
    expect(socket.persisted().map((m) => m.seq)).toEqual([2])
    expect(socket.closed).toBeNull()
    expect(await storedText()).toBe('masih jalan')
  })

  it('stores whatever part of a truncated update Yjs applied, and can still drain', async () => {
    const source = new Y.Doc()
    source.getText(TEXT).insert(0, 'hello')
    source.getText(TEXT).delete(1, 1)
    const full = Y.encodeStateAsUpdate(source)
    const { socket, connection } = join('a')
    // Cut inside the delete set: Yjs integrates the inserts, then throws.
    room.handleMessage(connection, syncUpdate(full.slice(0, full.length - 1)))
    expect(socket.rejected().map((m) => m.code)).toEqual([RejectCode.MalformedUpdate])

    const drained = await Promise.race([room.drain().then(() => true), settle().then(() => false)])
    expect(drained).toBe(true)
    expect(await storedText()).toBe(room.doc.getText(TEXT).toString())
  })

  it('relays an update to the other connections only once it is committed', async () => {
    const writer = join('w')
    const reader = join('r')
    store.appendGate = gate()
    room.handleMessage(writer.connection, syncUpdate(edit(new Y.Doc(), 'segera')))
    await settle()
    // Not yet stored: not yet relayed (a crash now must not leave it only in another client).
    const updatesOf = (socket: RecordingSocket) =>
      socket.sync().filter((f) => f.syncType === SyncMessageType.Update)
    expect(updatesOf(reader.socket)).toEqual([])
    // And a newcomer's sync is answered from stored state only, after the commit.
    const late = join('l')
    room.handleMessage(late.connection, syncStep1(new Y.Doc()))
    expect(late.socket.sync().filter((f) => f.syncType === SyncMessageType.Step2)).toEqual([])
    expect(writer.socket.persisted()).toEqual([])

    store.appendGate.open()
    await room.drain()
    expect(
      textOf({ snapshot: null, updates: updatesOf(reader.socket).map((f) => f.payload) }),
    ).toBe('segera')
    // The writer gets the server's record of who wrote it, in one message with its own text
    // (merged in the same commit; Yjs ignores what it has).
    expect(updatesOf(writer.socket)).toHaveLength(1)
    expect(writer.socket.persisted().map((m) => m.seq)).toEqual([1])
    const step2 = late.socket.sync().find((f) => f.syncType === SyncMessageType.Step2)
    expect(step2 && textOf({ snapshot: step2.payload, updates: [] })).toBe('segera')
  })

  it('relays the updates of one commit as one message, in one write with Persisted', async () => {
    const a = join('a')
    const b = join('b')
    const reader = join('r')
    store.appendGate = gate()
    // Held up by a slow commit, three updates from two people end up in the next one together.
    room.handleMessage(a.connection, syncUpdate(edit(new Y.Doc(), 'satu ')))
    await settle()
    room.handleMessage(a.connection, syncUpdate(edit(new Y.Doc(), 'dua ')))
    room.handleMessage(b.connection, syncUpdate(edit(new Y.Doc(), 'tiga ')))
    const updatesOf = (socket: RecordingSocket) =>
      socket.sync().filter((f) => f.syncType === SyncMessageType.Update)
    store.appendGate.open()
    await room.drain()

    // One message per commit: the first update with who wrote it, then the other two merged.
    expect(updatesOf(reader.socket)).toHaveLength(2)
    const all = textOf({ snapshot: null, updates: updatesOf(reader.socket).map((f) => f.payload) })
    for (const word of ['satu', 'dua', 'tiga']) expect(all).toContain(word)
    // Each sender gets the merged update and its Persisted in one write.
    expect(a.socket.batches).toEqual([2, 2])
    expect(b.socket.batches).toEqual([2])
    const toB = textOf({ snapshot: null, updates: updatesOf(b.socket).map((f) => f.payload) })
    expect(toB).toContain('satu')
    expect(toB).toContain('dua')
    expect(a.socket.persisted().map((m) => m.seq)).toEqual([1, 2])
  })

  it('does not send an update back to its sender when it is the only one in the commit', async () => {
    const writer = join('w')
    const reader = join('r')
    const doc = new Y.Doc()
    room.handleMessage(writer.connection, syncUpdate(edit(doc, 'pertama ')))
    await room.drain()
    const sentBefore = writer.socket.sync().length
    // Second update of a known client: no authors record, a commit of one update.
    room.handleMessage(writer.connection, syncUpdate(edit(doc, 'kedua ')))
    await room.drain()
    expect(writer.socket.sync().length).toBe(sentBefore)
    const toReader = reader.socket.sync().filter((f) => f.syncType === SyncMessageType.Update)
    expect(textOf({ snapshot: null, updates: toReader.map((f) => f.payload) })).toContain('kedua')
  })

  it('answers a sync with what was there when it asked, not with updates still being stored', async () => {
    const writer = join('w')
    store.appendGate = gate()
    room.handleMessage(writer.connection, syncUpdate(edit(new Y.Doc(), 'tersimpan ')))
    await settle()
    const late = join('l')
    room.handleMessage(late.connection, syncStep1(new Y.Doc()))
    // Applied while the first commit runs: not stored when the newcomer's answer goes out.
    room.handleMessage(writer.connection, syncUpdate(edit(new Y.Doc(), 'belum ')))
    store.appendGate.open()
    await room.drain()
    const step2 = late.socket.sync().find((f) => f.syncType === SyncMessageType.Step2)
    expect(step2 && textOf({ snapshot: step2.payload, updates: [] })).toBe('tersimpan ')
    // It reaches the newcomer as a relay, once stored.
    const relayed = late.socket.sync().filter((f) => f.syncType === SyncMessageType.Update)
    expect(textOf({ snapshot: null, updates: relayed.map((f) => f.payload) })).toContain('belum')
  })

  it('sends no Persisted while the store fails, then stores and acks on retry', async () => {
    const { socket, connection } = join('a')
    store.appendError = new Error('disk I/O error')
    room.handleMessage(connection, syncUpdate(edit(new Y.Doc(), 'tahan')))
    const draining = room.drain()
    await settle()
    expect(store.calls.append).toBe(1)
    expect(socket.persisted()).toEqual([])
    expect(logger.entries.some((e) => e.level === 'error')).toBe(true)

    store.appendError = null
    await draining
    expect(store.calls.append).toBeGreaterThanOrEqual(2)
    expect(socket.persisted().map((m) => m.seq)).toEqual([1])
    expect(await storedText()).toBe('tahan')
  })

  it('compacts the log into a snapshot after compactAfterUpdates appends', async () => {
    room.destroy()
    // Three appends: the first edit, the server's authors entry for its client, the second edit.
    room = await Room.load(NAME, {
      store,
      logger,
      compactAfterUpdates: 3,
      allowedRoots: TEST_ROOTS,
    })
    const { connection } = join('a')
    const client = new Y.Doc()
    room.handleMessage(connection, syncUpdate(edit(client, 'satu ')))
    await room.drain()
    room.handleMessage(connection, syncUpdate(edit(client, 'dua ')))
    await room.drain()
    await settle()
    const stored = await store.inner.loadDocument(NAME)
    expect(stored.snapshot).not.toBeNull()
    expect(stored.updates).toEqual([])
    expect(textOf(stored)).toBe('dua satu ')
  })
})
