import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { edit, textOf } from '../../testing/collabFixtures.ts'
import { makeTempDir, removeDir } from '../../testing/tempStorage.ts'
import { openSqliteStorage, type Storage } from '../openStore.ts'
import { openDatabase, type SqliteDatabase } from './openDatabase.ts'
import { SqliteDocumentStore } from './SqliteDocumentStore.ts'

describe('SqliteDocumentStore', () => {
  let dir: string
  let db: SqliteDatabase
  let store: SqliteDocumentStore
  let reopened: Storage | null = null

  beforeEach(() => {
    dir = makeTempDir()
    db = openDatabase(dir)
    store = new SqliteDocumentStore(db)
  })

  afterEach(async () => {
    await reopened?.close()
    reopened = null
    if (db.open) db.close()
    removeDir(dir)
  })

  function logSize(name: string): number {
    const row = db.prepare('SELECT count(*) AS n FROM doc_updates WHERE name = ?').get(name)
    return (row as { n: number }).n
  }

  // The rest of what a document store promises is in ../DocumentStore.test.ts, on both engines.

  it('writes nothing before the turn ends: that is what lets one commit carry every append', async () => {
    const pending = [
      store.appendUpdates('card:a', [edit(new Y.Doc(), 'a')]),
      store.appendUpdates('card:b', [edit(new Y.Doc(), 'b')]),
    ]
    expect(logSize('card:a') + logSize('card:b')).toBe(0)
    await Promise.all(pending)
    expect(logSize('card:a') + logSize('card:b')).toBe(2)
  })

  it('keeps everything across closing and reopening the database', async () => {
    db.close()
    const first = openSqliteStorage(dir)
    const doc = new Y.Doc()
    const seq = await first.documents.appendUpdates('card:1', [edit(doc, 'snap ')])
    await first.documents.compact('card:1', Y.encodeStateAsUpdate(doc), seq)
    await first.documents.appendUpdates('card:1', [edit(doc, 'log ')])
    // Not awaited: close() must write what is still pending.
    const pending = first.documents.appendUpdates('card:1', [edit(doc, 'pending ')])
    await first.close()
    await expect(pending).resolves.toBeGreaterThan(seq)

    reopened = openSqliteStorage(dir)
    const stored = await reopened.documents.loadDocument('card:1')
    expect(stored.updates).toHaveLength(2)
    expect(textOf(stored)).toBe('pending log snap ')
  })

  it('rejects every append of a transaction that fails', async () => {
    const doc = new Y.Doc()
    const first = store.appendUpdates('card:1', [edit(doc, 'a')])
    const second = store.appendUpdates('card:2', [edit(doc, 'b')])
    db.close()
    await expect(first).rejects.toThrow(/not open/)
    await expect(second).rejects.toThrow(/not open/)
  })
})
