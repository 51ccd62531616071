import { Role } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ControlledStore, gate } from '../testing/ControlledStore.ts'
import {
  edit,
  participant,
  recordingLogger,
  settle,
  syncUpdate,
  TEST_ROOTS,
  TEXT,
  textOf,
  waitFor,
} from '../testing/collabFixtures.ts'
import { RecordingSocket } from '../testing/RecordingSocket.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { RoomManager } from './RoomManager.ts'

const NAME = 'card:manager-test'

describe('RoomManager', () => {
  let temp: TempStorage
  let store: ControlledStore
  let manager: RoomManager

  beforeEach(async () => {
    temp = await openTempStorage()
    store = new ControlledStore(temp.storage.documents)
    manager = new RoomManager({
      store,
      logger: recordingLogger(),
      compactAfterUpdates: 1000,
      allowedRoots: TEST_ROOTS,
      unloadDelayMs: 0,
    })
  })

  afterEach(async () => {
    await manager.closeAll(1000, 'test over')
    await temp.cleanup()
  })

  async function storeText(text: string): Promise<void> {
    await store.inner.appendUpdates(NAME, [edit(new Y.Doc(), text)])
  }

  it('shares one slow load between two acquires, and gives both the same room', async () => {
    store.loadGate = gate()
    const first = manager.acquire(NAME)
    const second = manager.acquire(NAME)
    await settle()
    expect(store.calls.load).toBe(1)

    store.loadGate.open()
    const [a, b] = await Promise.all([first, second])
    expect(a).toBe(b)
    expect(await manager.acquire(NAME)).toBe(a)
    expect(store.calls.load).toBe(1)
  })

  it('fails every waiter of a failed load; the next acquire loads the stored data', async () => {
    await storeText('tersimpan')
    store.loadGate = gate()
    store.loadError = new Error('database is locked')
    const first = manager.acquire(NAME)
    const second = manager.acquire(NAME)
    store.loadGate.open()
    await expect(first).rejects.toThrow('database is locked')
    await expect(second).rejects.toThrow('database is locked')
    expect(manager.get(NAME)).toBeUndefined()

    store.loadError = null
    const room = await manager.acquire(NAME)
    expect(store.calls.load).toBe(2)
    expect(room.doc.getText(TEXT).toString()).toBe('tersimpan')
    expect(textOf(await store.inner.loadDocument(NAME))).toBe('tersimpan')
  })

  it('fails the load of a document whose stored log cannot be applied', async () => {
    await storeText('sebelum')
    // Damage before the last record: a corrupt store, not a torn write (see Room.load.test.ts).
    await store.inner.appendUpdates(NAME, [new Uint8Array([255, 255, 255, 255, 1, 2, 3])])
    await storeText('sesudah')
    await expect(manager.acquire(NAME)).rejects.toThrow()
    expect(manager.size).toBe(0)
  })

  it('makes an acquire during an unload wait, then load a new, complete room', async () => {
    const old = await manager.acquire(NAME)
    store.appendGate = gate()
    old.doc.getText(TEXT).insert(0, 'dari ruang lama')
    manager.release(old)
    await settle()
    // The unload is waiting for the commit of the edit.
    expect(manager.get(NAME)).toBe(old)

    const next = manager.acquire(NAME)
    await settle()
    expect(store.calls.load).toBe(1)

    store.appendGate.open()
    const fresh = await next
    expect(fresh).not.toBe(old)
    expect(old.doc.isDestroyed).toBe(true)
    expect(store.calls.load).toBe(2)
    expect(fresh.doc.getText(TEXT).toString()).toBe('dari ruang lama')
    expect(manager.get(NAME)).toBe(fresh)
  })

  it('stores an update before the last holder’s release unloads the room', async () => {
    const room = await manager.acquire(NAME)
    const connection = room.addConnection(new RecordingSocket(), participant('a', Role.Editor))
    const client = new Y.Doc()
    room.handleMessage(connection, syncUpdate(edit(client, 'disimpan saat keluar')))
    room.removeConnection(connection)
    manager.release(room)
    await waitFor(() => manager.size === 0, 'the unload')

    expect(room.doc.isDestroyed).toBe(true)
    const onDisk = await store.inner.loadDocument(NAME)
    expect(onDisk.snapshot).not.toBeNull()
    expect(onDisk.updates).toEqual([])
    const again = await manager.acquire(NAME)
    expect(again).not.toBe(room)
    expect(again.doc.getText(TEXT).toString()).toBe('disimpan saat keluar')
    const stored = Y.decodeStateVector(Y.encodeStateVector(again.doc))
    for (const [clientId, clock] of Y.decodeStateVector(Y.encodeStateVector(client))) {
      expect(stored.get(clientId)).toBe(clock)
    }
  })

  it('keeps a room loaded while someone still holds it', async () => {
    const a = await manager.acquire(NAME)
    const b = await manager.acquire(NAME)
    manager.release(a)
    await settle()
    expect(manager.get(NAME)).toBe(b)
    manager.release(b)
    await waitFor(() => manager.size === 0, 'the unload')
  })
})
