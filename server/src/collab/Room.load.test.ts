/**
 * Loading a stored document that was damaged: a garbled last log record (what a torn write
 * leaves) is dropped with a warning and the rest loads; a corrupt snapshot or a corrupt record
 * before the last refuses to load, with an alert, and the stored data stays as it was.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { edit, recordingLogger, TEST_ROOTS, TEXT } from '../testing/collabFixtures.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { runTestSql } from '../testing/testStore.ts'
import { Room } from './Room.ts'
import { DocumentLoadError } from './restoreDocument.ts'

const NAME = 'card:damaged'

describe('Room.load on damaged storage', () => {
  let temp: TempStorage
  beforeEach(async () => {
    temp = await openTempStorage()
    const client = new Y.Doc()
    await temp.storage.documents.appendUpdates(NAME, [
      edit(client, 'satu '),
      edit(client, 'dua '),
      edit(client, 'tiga '),
    ])
  })
  afterEach(async () => {
    await temp.cleanup()
  })

  /** Overwrites stored bytes behind the store's back, as a disk fault would. */
  async function garble(sql: string, bytes: Uint8Array): Promise<void> {
    await runTestSql(temp.dir, sql, [bytes])
  }

  const load = (logger = recordingLogger()) =>
    Room.load(NAME, {
      store: temp.storage.documents,
      logger,
      compactAfterUpdates: 500,
      allowedRoots: TEST_ROOTS,
    })

  it('drops a garbled last record with a warning and loads everything before it', async () => {
    await garble(
      'UPDATE doc_updates SET data = ? WHERE seq = (SELECT MAX(seq) FROM doc_updates)',
      new Uint8Array([1, 1, 200, 200, 200, 200, 7]),
    )
    const logger = recordingLogger()
    const room = await load(logger)
    expect(room.doc.getText(TEXT).toString()).toBe('dua satu ')
    expect(logger.entries.some((e) => e.level === 'warn' && /torn/.test(e.msg ?? ''))).toBe(true)
    room.destroy()
  })

  it('refuses to load when a record before the last is corrupt, and changes nothing stored', async () => {
    await garble(
      'UPDATE doc_updates SET data = ? WHERE seq = (SELECT MIN(seq) FROM doc_updates)',
      new Uint8Array([1, 1, 200, 200, 200, 200, 7]),
    )
    const before = await temp.storage.documents.loadDocument(NAME)
    const logger = recordingLogger()
    await expect(load(logger)).rejects.toBeInstanceOf(DocumentLoadError)
    expect(logger.entries.some((e) => e.level === 'error' && /ALERT/.test(e.msg ?? ''))).toBe(true)
    expect(await temp.storage.documents.loadDocument(NAME)).toEqual(before)
  })

  it('refuses to load a corrupt snapshot', async () => {
    const snapshot = new Y.Doc()
    snapshot.getText(TEXT).insert(0, 'snapshot')
    await temp.storage.documents.compact(NAME, Y.encodeStateAsUpdate(snapshot), 3)
    await garble(
      'UPDATE doc_snapshots SET snapshot = ?',
      new Uint8Array([9, 9, 9, 255, 255, 255, 255]),
    )
    await expect(load()).rejects.toThrow(/snapshot of card:damaged is corrupt/)
  })
})
