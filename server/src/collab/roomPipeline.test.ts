/**
 * The room's extension points: checks that refuse or let an update through (with what they
 * found), hooks told after the fact, the server's own changes, and the room closing. Against a
 * real SQLite store; the listeners here are the test's own.
 */
import { RejectCode, Role } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  edit,
  participant,
  recordingLogger,
  syncUpdate,
  TEST_ROOTS,
  TEXT,
  textOf,
} from '../testing/collabFixtures.ts'
import { RecordingSocket } from '../testing/RecordingSocket.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { Room, type RoomOptions } from './Room.ts'
import type { AppliedUpdate, IncomingUpdate, RoomListener } from './roomListener.ts'
import { SERVER_ORIGIN } from './roomListener.ts'

const NAME = 'card:pipeline-test'

describe('the room pipeline', () => {
  let temp: TempStorage
  let rooms: Room[]

  beforeEach(async () => {
    temp = await openTempStorage()
    rooms = []
  })

  afterEach(async () => {
    for (const room of rooms) room.destroy()
    await temp.cleanup()
  })

  async function open(options: Partial<RoomOptions>) {
    const room = await Room.load(NAME, {
      store: temp.storage.documents,
      logger: recordingLogger(),
      compactAfterUpdates: 1000,
      allowedRoots: TEST_ROOTS,
      ...options,
    })
    rooms.push(room)
    const socket = new RecordingSocket()
    const connection = room.addConnection(socket, participant('a', Role.Editor))
    return { room, socket, connection }
  }

  it('refuses an update a check refuses: not applied, not stored, the code sent back', async () => {
    const seen: IncomingUpdate[] = []
    const noSecrets: RoomListener = {
      checkUpdate(incoming) {
        seen.push(incoming)
        const probe = new Y.Doc()
        Y.applyUpdate(probe, incoming.update)
        return probe.getText(TEXT).toString().includes('rahasia')
          ? { ok: false, code: RejectCode.TestRefusal, message: 'no secrets' }
          : { ok: true }
      },
    }
    const { room, socket, connection } = await open({ perRoom: () => [noSecrets] })
    room.handleMessage(connection, syncUpdate(edit(new Y.Doc(), 'rahasia negara')))
    await room.drain()
    expect(socket.rejected().map((r) => [r.seq, r.code, r.message])).toEqual([
      [1, RejectCode.TestRefusal, 'no secrets'],
    ])
    expect(room.doc.getText(TEXT).toString()).toBe('')
    expect(textOf(await temp.storage.documents.loadDocument(NAME))).toBe('')
    // The check saw who sent it, as whom it is judged, and the room's document before it.
    expect(seen[0]?.participant.userId).toBe('a')
    expect(seen[0]?.sender).toEqual({ userId: 'a', role: Role.Editor })
    expect(seen[0]?.doc).toBe(room.doc)
    // Another update passes the same check and is kept.
    room.handleMessage(connection, syncUpdate(edit(new Y.Doc(), 'jawaban')))
    await room.drain()
    expect(socket.persisted().map((m) => m.seq)).toEqual([2])
    expect(textOf(await temp.storage.documents.loadDocument(NAME))).toBe('jawaban')
  })

  it('refuses an update whose check throws, and keeps the room working', async () => {
    let broken = true
    const flaky: RoomListener = {
      checkUpdate() {
        if (broken) throw new Error('check broke')
        return { ok: true }
      },
    }
    const { room, socket, connection } = await open({ perRoom: () => [flaky] })
    room.handleMessage(connection, syncUpdate(edit(new Y.Doc(), 'satu')))
    broken = false
    room.handleMessage(connection, syncUpdate(edit(new Y.Doc(), 'dua')))
    await room.drain()
    expect(socket.rejected().map((r) => r.seq)).toEqual([1])
    expect(socket.persisted().map((m) => m.seq)).toEqual([2])
    expect(room.doc.getText(TEXT).toString()).toBe('dua')
  })

  it('tells updateApplied what the checks found, and stores a listener’s change with the client’s update', async () => {
    const applied: AppliedUpdate[] = []
    const tagger: RoomListener = {
      updateApplied(event) {
        applied.push(event)
        event.doc.transact(() => event.doc.getMap('tags').set('tagged', true), SERVER_ORIGIN)
      },
    }
    const { room, socket, connection } = await open({
      perRoom: () => [tagger],
      allowedRoots: new Set([TEXT, 'tags']),
    })
    const client = new Y.Doc()
    room.handleMessage(connection, syncUpdate(edit(client, 'halo')))
    await room.drain()
    // The trust policy's findings: the client's clientID is new, so it is now this person's.
    expect(applied.map((event) => event.newClients)).toEqual([[client.clientID]])
    expect(socket.persisted().map((m) => m.seq)).toEqual([1])
    // Both changes are stored, and the sender gets the server's change (not its own update) back.
    const stored = new Y.Doc()
    const { snapshot, updates } = await temp.storage.documents.loadDocument(NAME)
    if (snapshot) Y.applyUpdate(stored, snapshot)
    for (const update of updates) Y.applyUpdate(stored, update)
    expect(stored.getText(TEXT).toString()).toBe('halo')
    expect(stored.getMap('tags').get('tagged')).toBe(true)
    const back = new Y.Doc()
    for (const frame of socket.sync().slice(2)) Y.applyUpdate(back, frame.payload)
    expect(back.getMap('tags').get('tagged')).toBe(true)
  })

  it('tells serverChanged of the server’s own changes, and roomClosed once when it closes', async () => {
    const changes: Uint8Array[] = []
    let closed = 0
    const watcher: RoomListener = {
      serverChanged: (update) => changes.push(update),
      roomClosed: () => closed++,
    }
    const { room } = await open({ perRoom: () => [watcher] })
    room.doc.transact(() => room.doc.getText(TEXT).insert(0, 'server'), SERVER_ORIGIN)
    await room.drain()
    expect(changes).toHaveLength(1)
    room.destroy()
    room.destroy()
    expect(closed).toBe(1)
  })
})
