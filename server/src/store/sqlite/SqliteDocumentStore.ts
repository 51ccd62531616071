/**
 * Document logs in SQLite with group commit: appends made in the same turn of the event loop,
 * from any room, are written in one transaction, so one fsync covers all of them.
 */
import { GroupCommit } from '../GroupCommit.ts'
import type { DocumentStore, StoredDocument } from '../types.ts'
import type { SqliteDatabase } from './openDatabase.ts'

type Append = { name: string; updates: readonly Uint8Array[] }

export class SqliteDocumentStore implements DocumentStore {
  /** Each append resolves with the seq of its last update, once its transaction is committed. */
  private readonly appends = new GroupCommit<Append, number>((batch) => this.write(batch))
  private readonly insertUpdate
  private readonly selectSnapshot
  private readonly selectUpdates
  private readonly upsertSnapshot
  private readonly deleteUpdates

  constructor(private readonly db: SqliteDatabase) {
    this.insertUpdate = db.prepare('INSERT INTO doc_updates (name, data) VALUES (?, ?)')
    this.selectSnapshot = db.prepare(
      'SELECT snapshot, through_seq FROM doc_snapshots WHERE name = ?',
    )
    this.selectUpdates = db.prepare(
      'SELECT seq, data FROM doc_updates WHERE name = ? AND seq > ? ORDER BY seq',
    )
    this.upsertSnapshot = db.prepare(
      `INSERT INTO doc_snapshots (name, snapshot, through_seq, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET snapshot = excluded.snapshot,
         through_seq = excluded.through_seq, updated_at = excluded.updated_at`,
    )
    this.deleteUpdates = db.prepare('DELETE FROM doc_updates WHERE name = ? AND seq <= ?')
  }

  async loadDocument(name: string): Promise<StoredDocument> {
    const row = this.selectSnapshot.get(name) as
      | { snapshot: Buffer; through_seq: number }
      | undefined
    const rows = this.selectUpdates.all(name, row?.through_seq ?? 0) as Array<{
      seq: number
      data: Buffer
    }>
    return {
      snapshot: row ? new Uint8Array(row.snapshot) : null,
      updates: rows.map((r) => new Uint8Array(r.data)),
      lastSeq:
        rows.length > 0 ? (rows[rows.length - 1] as { seq: number }).seq : (row?.through_seq ?? 0),
    }
  }

  appendUpdates(name: string, updates: readonly Uint8Array[]): Promise<number> {
    return this.appends.add({ name, updates })
  }

  async compact(name: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.upsertSnapshot.run(name, snapshot, throughSeq, Date.now())
      this.deleteUpdates.run(name, throughSeq)
    })()
  }

  async listDocumentNames(): Promise<string[]> {
    const rows = this.db
      .prepare(
        'SELECT name FROM doc_snapshots UNION SELECT DISTINCT name FROM doc_updates ORDER BY name',
      )
      .all() as Array<{ name: string }>
    return rows.map((row) => row.name)
  }

  /** Writes everything pending now, in one transaction (used by the flush and by shutdown). */
  flush(): void {
    this.appends.flush()
  }

  private write(batch: readonly Append[]): number[] {
    const lastSeqs: number[] = []
    this.db.transaction(() => {
      for (const append of batch) {
        let last = 0
        for (const update of append.updates) {
          last = Number(this.insertUpdate.run(append.name, update).lastInsertRowid)
        }
        lastSeqs.push(last)
      }
    })()
    return lastSeqs
  }
}
