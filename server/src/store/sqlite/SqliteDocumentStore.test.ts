import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { edit, TEXT, textOf } from '../../testing/collabFixtures.ts'
import { makeTempDir, removeDir } from '../../testing/tempStorage.ts'
import { openStorage, type Storage } from '../openStore.ts'
import { openDatabase, type SqliteDatabase } from './openDatabase.ts'
import { SqliteDocumentStore } from './SqliteDocumentStore.ts'

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(b)
}

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

  it('loads the appended updates in order, and they rebuild the same document', async () => {
    const doc = new Y.Doc()
    const updates = [edit(doc, 'c'), edit(doc, 'b'), edit(doc, 'a')]
    await store.appendUpdates('card:1', [updates[0] as Uint8Array])
    const lastSeq = await store.appendUpdates('card:1', updates.slice(1))

    const stored = await store.loadDocument('card:1')
    expect(stored.snapshot).toBeNull()
    expect(stored.lastSeq).toBe(lastSeq)
    expect(stored.updates).toHaveLength(3)
    stored.updates.forEach((update, i) => {
      expect(bytesEqual(update, updates[i] as Uint8Array)).toBe(true)
    })
    const rebuilt = new Y.Doc()
    for (const update of stored.updates) Y.applyUpdate(rebuilt, update)
    expect(rebuilt.getText(TEXT).toString()).toBe('abc')
    expect(Y.encodeStateAsUpdate(rebuilt)).toEqual(Y.encodeStateAsUpdate(doc))
  })

  it('loads an unknown document as empty', async () => {
    expect(await store.loadDocument('card:none')).toEqual({
      snapshot: null,
      updates: [],
      lastSeq: 0,
    })
  })

  it('commits appends of the same tick together, with increasing seqs', async () => {
    const docs = ['card:a', 'card:b', 'deck:c'].map((name) => ({ name, doc: new Y.Doc() }))
    const pending = docs.map(({ name, doc }) => store.appendUpdates(name, [edit(doc, name)]))
    pending.push(store.appendUpdates('card:a', [edit(docs[0]?.doc as Y.Doc, 'again ')]))
    // Nothing is written until the tick ends: that is what lets one commit carry them all.
    expect((await store.loadDocument('card:a')).updates).toHaveLength(0)

    const seqs = await Promise.all(pending)
    expect(seqs).toEqual([seqs[0], (seqs[0] as number) + 1, (seqs[0] as number) + 2, seqs[3]])
    expect(seqs[3]).toBeGreaterThan(seqs[2] as number)
    expect(textOf(await store.loadDocument('card:a'))).toBe('again card:a')
    expect(textOf(await store.loadDocument('card:b'))).toBe('card:b')
    expect(textOf(await store.loadDocument('deck:c'))).toBe('deck:c')
  })

  it('compacts the log into a snapshot and keeps later appends in the log', async () => {
    const doc = new Y.Doc()
    await store.appendUpdates('card:1', [edit(doc, 'one ')])
    const throughSeq = await store.appendUpdates('card:1', [edit(doc, 'two ')])
    const other = await store.appendUpdates('card:2', [edit(new Y.Doc(), 'other')])
    expect(other).toBeGreaterThan(throughSeq)

    await store.compact('card:1', Y.encodeStateAsUpdate(doc), throughSeq)
    const later = edit(doc, 'three ')
    const lastSeq = await store.appendUpdates('card:1', [later])

    expect(logSize('card:1')).toBe(1)
    const stored = await store.loadDocument('card:1')
    expect(stored.snapshot).not.toBeNull()
    expect(stored.updates).toHaveLength(1)
    expect(bytesEqual(stored.updates[0] as Uint8Array, later)).toBe(true)
    expect(stored.lastSeq).toBe(lastSeq)
    expect(textOf(stored)).toBe('three two one ')
    // Compacting one document leaves the log of another alone.
    expect(textOf(await store.loadDocument('card:2'))).toBe('other')
  })

  it('reports the snapshot seq as lastSeq when the log after it is empty', async () => {
    const doc = new Y.Doc()
    const seq = await store.appendUpdates('card:1', [edit(doc, 'x')])
    await store.compact('card:1', Y.encodeStateAsUpdate(doc), seq)
    const stored = await store.loadDocument('card:1')
    expect(stored.updates).toEqual([])
    expect(stored.lastSeq).toBe(seq)
    expect(textOf(stored)).toBe('x')
  })

  it('keeps everything across closing and reopening the database', async () => {
    db.close()
    const first = openStorage(dir)
    const doc = new Y.Doc()
    const seq = await first.documents.appendUpdates('card:1', [edit(doc, 'snap ')])
    await first.documents.compact('card:1', Y.encodeStateAsUpdate(doc), seq)
    await first.documents.appendUpdates('card:1', [edit(doc, 'log ')])
    // Not awaited: close() must write what is still pending.
    const pending = first.documents.appendUpdates('card:1', [edit(doc, 'pending ')])
    await first.close()
    await expect(pending).resolves.toBeGreaterThan(seq)

    reopened = openStorage(dir)
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
