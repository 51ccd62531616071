/**
 * What every DocumentStore promises (types.ts), on SQLite and on PostgreSQL: a document's log in
 * order, appends acknowledged only once committed and grouped into shared commits, compaction,
 * a failed commit failing its own appends and nothing else, and (PostgreSQL) several nodes
 * writing at once. What only SQLite does (its file) is in sqlite/SqliteDocumentStore.test.ts.
 */
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { edit, TEXT, textOf } from '../testing/collabFixtures.ts'
import { eventually } from '../testing/eventually.ts'
import {
  ENGINES,
  type EngineName,
  engineAvailable,
  openTestEngine,
  poisonDocument,
  type TestEngine,
} from '../testing/storeEngines.ts'
import { schemaUrl } from '../testing/testPostgres.ts'
import { PG_TYPES } from './postgres/database.ts'
import {
  DOCUMENT_LOCK_SPACE,
  documentLockKey,
  type PgDocumentStore,
} from './postgres/PgDocumentStore.ts'
import type { DocumentStore } from './types.ts'

const available = new Map<EngineName, boolean>()
for (const engine of ENGINES) available.set(engine, await engineAvailable(engine))

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(b)
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

/** How each promise ended, without letting a rejection go unhandled meanwhile. */
function outcome(promise: Promise<number>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (error: Error) => `rejected: ${error.message}`,
  )
}

describe.each(ENGINES)('DocumentStore on %s', (engine) => {
  describe.skipIf(!available.get(engine))('', () => {
    let db: TestEngine
    let store: DocumentStore

    beforeEach(async () => {
      db = await openTestEngine(engine)
      store = db.documents
    })

    afterEach(async () => {
      await db.destroy()
    })

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
      const doc = docs[0]?.doc as Y.Doc
      pending.push(store.appendUpdates('card:a', [edit(doc, 'again '), edit(doc, 'more ')]))

      // One commit, in the order asked: consecutive seqs, each append's last one returned.
      const seqs = await Promise.all(pending)
      const first = seqs[0] as number
      expect(seqs).toEqual([first, first + 1, first + 2, first + 4])
      expect(textOf(await store.loadDocument('card:a'))).toBe('more again card:a')
      expect(textOf(await store.loadDocument('card:b'))).toBe('card:b')
      expect(textOf(await store.loadDocument('deck:c'))).toBe('deck:c')
      expect((await store.loadDocument('card:a')).lastSeq).toBe(first + 4)
    })

    it('resolves an append of no updates with 0, writing nothing', async () => {
      const doc = new Y.Doc()
      const [empty, one] = await Promise.all([
        store.appendUpdates('card:1', []),
        store.appendUpdates('card:1', [edit(doc, 'x')]),
      ])
      expect(empty).toBe(0)
      expect(one).toBeGreaterThan(0)
      expect((await store.loadDocument('card:1')).updates).toHaveLength(1)
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

      const [row] = await db.sql('SELECT count(*) AS n FROM doc_updates WHERE name = ?', ['card:1'])
      expect(Number(row?.n)).toBe(1)
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

    it('lists every stored document once, in byte order', async () => {
      const names = ['deck:1', 'card:b', 'card:B', 'card:a_1', 'card:a-1', 'card:Z', 'card:é']
      for (const name of names) await store.appendUpdates(name, [edit(new Y.Doc(), name)])
      // One with a snapshot and no log left, one with both.
      const doc = new Y.Doc()
      const seq = await store.appendUpdates('card:snap', [edit(doc, 's')])
      await store.compact('card:snap', Y.encodeStateAsUpdate(doc), seq)
      await store.compact('card:b', Y.encodeStateAsUpdate(new Y.Doc()), 0)
      expect(await store.listDocumentNames()).toEqual(
        [...names, 'card:snap'].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
      )
    })

    it('acknowledges an append only once another connection can read it', async () => {
      const other = await db.connectAgain()
      const doc = new Y.Doc()
      for (const text of ['a', 'b', 'c']) {
        const seq = await store.appendUpdates('card:1', [edit(doc, text)])
        expect((await other.documents.loadDocument('card:1')).lastSeq).toBe(seq)
      }
      expect(textOf(await other.documents.loadDocument('card:1'))).toBe('cba')
    })

    it('commits what is still pending when the store closes', async () => {
      const doc = new Y.Doc()
      const seq = await store.appendUpdates('card:1', [edit(doc, 'snap ')])
      await store.compact('card:1', Y.encodeStateAsUpdate(doc), seq)
      await store.appendUpdates('card:1', [edit(doc, 'log ')])
      // Not awaited: close() must write what is still pending.
      const pending = store.appendUpdates('card:1', [edit(doc, 'pending ')])
      await db.close()
      await expect(pending).resolves.toBeGreaterThan(seq)

      const after = await db.connectAgain()
      const stored = await after.documents.loadDocument('card:1')
      expect(stored.updates).toHaveLength(2)
      expect(textOf(stored)).toBe('pending log snap ')
    })

    it('rejects the appends of a failed commit only, and loses nothing acknowledged', async () => {
      await poisonDocument(db, 'card:poison')
      const doc = new Y.Doc()
      const before = await store.appendUpdates('card:1', [edit(doc, 'before ')])
      // One turn, one commit: the poisoned document fails it, and the other append with it.
      const sameCommit = [
        outcome(store.appendUpdates('card:1', [edit(new Y.Doc(), 'lost ')])),
        outcome(store.appendUpdates('card:poison', [edit(new Y.Doc(), 'x')])),
      ]
      expect(await Promise.all(sameCommit)).toEqual([
        expect.stringMatching(/poisoned document/),
        expect.stringMatching(/poisoned document/),
      ])
      const after = await store.appendUpdates('card:1', [edit(doc, 'after ')])
      expect(after).toBeGreaterThan(before)

      const stored = await store.loadDocument('card:1')
      // Nothing of the failed commit was written: it is all or nothing.
      expect(stored.updates).toHaveLength(2)
      expect(textOf(stored)).toBe('after before ')
      expect(stored.lastSeq).toBe(after)
      expect((await store.loadDocument('card:poison')).updates).toEqual([])
    })

    it('keeps the appends of two connections writing at once (two nodes)', async () => {
      const other = await db.connectAgain()
      const names = ['card:shared', 'card:other']
      // Each node edits its own copy of each document (its own Yjs client).
      const nodes = [
        { store, label: 'A', docs: new Map(names.map((name) => [name, new Y.Doc()])) },
        {
          store: other.documents,
          label: 'B',
          docs: new Map(names.map((name) => [name, new Y.Doc()])),
        },
      ]
      const seqs = new Map<string, number[]>(names.map((name) => [name, []]))
      const writes: Array<Promise<void>> = []
      for (let round = 0; round < 20; round++) {
        for (const node of nodes) {
          for (const name of names) {
            const update = edit(node.docs.get(name) as Y.Doc, `${node.label}${round} `)
            writes.push(
              node.store.appendUpdates(name, [update]).then((seq) => {
                seqs.get(name)?.push(seq)
              }),
            )
          }
        }
        // Some in the same turn, some in the next: the commits of both nodes interleave.
        if (round % 3 === 0) await nextTurn()
      }
      await Promise.all(writes)
      const all = [...seqs.values()].flat()
      expect(new Set(all).size).toBe(all.length)

      for (const name of names) {
        const expected = new Y.Doc()
        for (const node of nodes) {
          Y.applyUpdate(expected, Y.encodeStateAsUpdate(node.docs.get(name) as Y.Doc))
        }
        for (const reader of [store, other.documents]) {
          const stored = await reader.loadDocument(name)
          expect(stored.updates).toHaveLength(40)
          expect(stored.lastSeq).toBe(Math.max(...(seqs.get(name) ?? [])))
          // Every edit of both nodes is there, and the log rebuilds their merged document.
          expect(textOf(stored)).toBe(expected.getText(TEXT).toString())
          expect(textOf(stored)).toHaveLength(2 * 20 * 'A0 '.length + 2 * 10 * 1)
        }
      }
    })
  })
})

describe.skipIf(!available.get('postgres'))('PgDocumentStore', () => {
  let db: TestEngine
  let store: PgDocumentStore
  /** A connection of the test's own, beside the store's pool. */
  let side: pg.Client

  beforeEach(async () => {
    db = await openTestEngine('postgres')
    store = db.documents as PgDocumentStore
    const schema = (await db.sql('SELECT current_schema() AS name'))[0]?.name as string
    side = new pg.Client({ connectionString: schemaUrl(schema), types: PG_TYPES })
    await side.connect()
  })

  afterEach(async () => {
    await side.end().catch(() => {})
    await db.destroy()
  })

  /**
   * The store's appends (kartu_append_updates) waiting for a lock right now. Asked on the
   * store's pool: `side`, inside its transaction, would see pg_stat_activity as it was when the
   * transaction first read it.
   */
  async function waitingInserts(): Promise<number> {
    const rows = await db.sql(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'
         AND query LIKE 'SELECT seq FROM kartu_append_updates%'`,
    )
    return Number(rows[0]?.n ?? 0)
  }

  it('keeps one commit in flight: appends made meanwhile wait and commit after it', async () => {
    await side.query('BEGIN')
    // Holds off every INSERT into the log until ROLLBACK.
    await side.query('LOCK TABLE doc_updates IN SHARE MODE')
    const settled: string[] = []
    const first = store.appendUpdates('card:1', [edit(new Y.Doc(), 'a')]).then((seq) => {
      settled.push('first')
      return seq
    })
    await eventually(async () => (await waitingInserts()) === 1, 'the first append to wait', {
      intervalMs: 20,
    })
    // Other documents than the blocked commit's: nothing but the serial group commit holds
    // them back (not the document lock of card:1).
    const later = [
      store.appendUpdates('card:2', [edit(new Y.Doc(), 'b')]),
      store.appendUpdates('card:3', [edit(new Y.Doc(), 'c')]),
    ].map((append) =>
      append.then((seq) => {
        settled.push('later')
        return seq
      }),
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
    // The later appends did not start a second commit beside the blocked one.
    expect(await waitingInserts()).toBe(1)
    expect(settled).toEqual([])
    await side.query('ROLLBACK')
    const [seqA, seqB, seqC] = await Promise.all([first, ...later])
    expect(settled).toEqual(['first', 'later', 'later'])
    expect(seqB).toBeGreaterThan(seqA as number)
    expect(seqC).toBe((seqB as number) + 1)
    await store.drain()
    expect(textOf(await store.loadDocument('card:1'))).toBe('a')
    expect(textOf(await store.loadDocument('card:3'))).toBe('c')
  })

  it("waits while another node commits to the same document, not to another one's", async () => {
    const other = await db.connectAgain()
    await side.query('BEGIN')
    await side.query('SELECT pg_advisory_xact_lock($1, $2)', [
      DOCUMENT_LOCK_SPACE,
      documentLockKey('card:busy'),
    ])
    let busyDone = false
    const busy = store.appendUpdates('card:busy', [edit(new Y.Doc(), 'x')]).then((seq) => {
      busyDone = true
      return seq
    })
    // The other node's commit to another document goes through meanwhile.
    const free = await other.documents.appendUpdates('card:free', [edit(new Y.Doc(), 'y')])
    expect(busyDone).toBe(false)
    await side.query('COMMIT')
    // Its seq was drawn only once the lock was granted: after the other node's.
    expect(await busy).toBeGreaterThan(free)
  })

  it('many cards compacting at once leave the pool to the appends', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `card:c${i}`)
    for (const name of names) await store.appendUpdates(name, [edit(new Y.Doc(), 'a')])
    await side.query('BEGIN')
    // Holds off every snapshot write until COMMIT; each compaction waiting on it holds a
    // connection of the store's pool (ten).
    await side.query('LOCK TABLE doc_snapshots IN SHARE MODE')
    const compactions = names.map((name) => store.compact(name, new Uint8Array([1]), 1))
    await eventually(async () => {
      const rows = await db.sql(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'
           AND query LIKE 'INSERT INTO doc_snapshots%'`,
      )
      return Number(rows[0]?.n ?? 0) >= 2
    }, 'two compactions to wait for the lock')
    await new Promise((resolve) => setTimeout(resolve, 100))
    // Two at a time: the other eighteen wait without a connection, and an append goes through.
    const seq = await store.appendUpdates('card:typing', [edit(new Y.Doc(), 'b')])
    expect(seq).toBeGreaterThan(0)
    await side.query('COMMIT')
    await Promise.all(compactions)
    for (const name of names) expect((await store.loadDocument(name)).snapshot).not.toBeNull()
  })

  it('rejects appends once the pool has ended, and a new pool loads all that was acknowledged', async () => {
    const doc = new Y.Doc()
    const acknowledged = await store.appendUpdates('card:1', [edit(doc, 'kept ')])
    const pool = db.pool as pg.Pool
    await pool.end()
    await expect(store.appendUpdates('card:1', [edit(doc, 'refused ')])).rejects.toThrow(/pool/i)
    const after = await db.connectAgain()
    const stored = await after.documents.loadDocument('card:1')
    expect(stored.lastSeq).toBe(acknowledged)
    expect(textOf(stored)).toBe('kept ')
  })
})
