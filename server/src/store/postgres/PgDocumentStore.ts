/**
 * Document logs in PostgreSQL with group commit, as the SQLite store (sqlite/SqliteDocumentStore):
 * appends made in the same turn of the event loop, from any room, are written by one multi-row
 * INSERT in one transaction, and each append resolves only after that transaction's COMMIT.
 *
 * Order. A commit here is asynchronous, so the group commit is serial: while one batch commits,
 * what arrives forms the next batch, sent once the first has settled. Otherwise two batches of
 * this process could commit in the other order than their seqs were drawn. Between processes
 * (several nodes on one database) the same holds through a per-document advisory lock taken
 * before the seqs are drawn (see write()): the seqs of one document always commit in order, so a
 * reader never sees seq n while a smaller seq of the same document is still to come. Compaction
 * relies on that: it drops `seq <= throughSeq`, which must not catch a row committed later.
 */
import { GroupCommit } from '../GroupCommit.ts'
import type { DocumentStore, StoredDocument } from '../types.ts'
import { inTransaction, type PgClient, type PgPool } from './database.ts'
import { Slots } from './Slots.ts'

/** Of the pool's ten connections. */
const COMPACTIONS_AT_ONCE = 2

type Append = { name: string; updates: readonly Uint8Array[] }

/**
 * What a write's fence checks (see kartu_document_fence in migrations.ts): the documents this
 * node holds, with their tokens, and the others, which no node may hold.
 */
export type FenceTerms = {
  nodeId: string
  heldNames: string[]
  heldTokens: number[]
  freeNames: string[]
}

/**
 * Checked inside each write's transaction, when several nodes share the database (decision
 * 0018): the write is rolled back unless this node still holds every one of the names it holds,
 * and no node holds the others.
 */
export interface DocumentFence {
  /** The fence in a transaction of the caller's (compaction); throws on refusal. */
  check(client: PgClient, names: readonly string[]): Promise<void>
  /** What the appends' one statement checks, for these names. */
  fenceTerms(names: readonly string[]): FenceTerms
  /** The fence's own error for a database error the statement raised, or null if not one. */
  refusal(error: unknown): Error | null
}

/**
 * The first key of the two-key advisory locks on documents: "Kartu document". The two-key form
 * is a key space apart from the one-key locks (the migration lock), so they never collide.
 */
export const DOCUMENT_LOCK_SPACE = 0x4b44

/** A 32-bit FNV-1a hash of the document's name: the second key of its advisory lock. */
export function documentLockKey(name: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash | 0
}

type SnapshotOrUpdate = {
  snapshot: Buffer | null
  through_seq: number | null
  seq: number | null
  data: Buffer | null
}

export class PgDocumentStore implements DocumentStore {
  /** Each append resolves with the seq of its last update, once its transaction is committed. */
  private readonly appends = new GroupCommit<Append, number>((batch) => this.write(batch), {
    serial: true,
  })

  /**
   * Compactions run two at a time (see Slots): the rest of the pool stays free for the appends,
   * which people wait on, whatever number of cards reach their threshold at once.
   */
  private readonly compactions = new Slots(COMPACTIONS_AT_ONCE)

  constructor(
    private readonly pool: PgPool,
    private readonly fence: DocumentFence | null = null,
  ) {}

  async loadDocument(name: string): Promise<StoredDocument> {
    // One statement, so one snapshot of the database: a compaction committed between reading
    // the snapshot and reading the log cannot make the two disagree.
    const { rows } = await this.pool.query<SnapshotOrUpdate>(
      `SELECT snapshot, through_seq, NULL::bigint AS seq, NULL::bytea AS data
         FROM doc_snapshots WHERE name = $1
       UNION ALL
       SELECT NULL, NULL, u.seq, u.data FROM doc_updates u
         WHERE u.name = $1
           AND u.seq > COALESCE((SELECT through_seq FROM doc_snapshots WHERE name = $1), 0)
       ORDER BY seq NULLS FIRST`,
      [name],
    )
    const head = rows[0] && rows[0].seq === null ? rows[0] : null
    const log = head ? rows.slice(1) : rows
    const last = log[log.length - 1]
    return {
      snapshot: head?.snapshot ? new Uint8Array(head.snapshot) : null,
      updates: log.map((row) => new Uint8Array(row.data ?? Buffer.alloc(0))),
      lastSeq: last?.seq ?? head?.through_seq ?? 0,
    }
  }

  appendUpdates(name: string, updates: readonly Uint8Array[]): Promise<number> {
    return this.appends.add({ name, updates })
  }

  compact(name: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    return this.compactions.run(() => this.writeSnapshot(name, snapshot, throughSeq))
  }

  private async writeSnapshot(name: string, snapshot: Uint8Array, throughSeq: number) {
    await inTransaction(this.pool, async (client) => {
      await this.fence?.check(client, [name])
      await client.query(
        `INSERT INTO doc_snapshots (name, snapshot, through_seq, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET snapshot = excluded.snapshot,
           through_seq = excluded.through_seq, updated_at = excluded.updated_at`,
        [name, snapshot, throughSeq, Date.now()],
      )
      await client.query('DELETE FROM doc_updates WHERE name = $1 AND seq <= $2', [
        name,
        throughSeq,
      ])
    })
  }

  async listDocumentNames(): Promise<string[]> {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's collation.
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT name FROM (SELECT name FROM doc_snapshots UNION SELECT name FROM doc_updates) AS n
       ORDER BY name COLLATE "C"`,
    )
    return rows.map((row) => row.name)
  }

  /**
   * Commits whatever is pending and waits for the commit in flight (shutdown, before the pool is
   * ended). A batch that fails rejects its own appends; drain itself does not throw.
   */
  drain(): Promise<void> {
    return this.appends.drain()
  }

  private async write(batch: readonly Append[]): Promise<number[]> {
    const names: string[] = []
    const data: Uint8Array[] = []
    for (const append of batch) {
      for (const update of append.updates) {
        names.push(append.name)
        data.push(update)
      }
    }
    if (names.length === 0) return batch.map(() => 0)
    // Lock keys in ascending order, each once: two nodes locking overlapping documents take
    // them in the same order and cannot deadlock.
    const keys = [...new Set(names.map(documentLockKey))].sort((a, b) => a - b)
    const fence = this.fence?.fenceTerms(names) ?? null
    // One statement, one implicit transaction, one round trip: the locks, the fence and the
    // INSERT run inside kartu_append_updates (migrations.ts), and the query returns once that
    // transaction committed. Each round trip costs the node CPU, and a batch used to take five.
    let seqs: number[]
    try {
      const { rows } = await this.pool.query<{ seq: number }>(
        'SELECT seq FROM kartu_append_updates($1, $2, $3, $4, $5, $6, $7, $8) AS seq',
        [
          DOCUMENT_LOCK_SPACE,
          keys,
          fence?.nodeId ?? null,
          fence?.heldNames ?? [],
          fence?.heldTokens ?? [],
          fence?.freeNames ?? [],
          names,
          data,
        ],
      )
      seqs = rows.map((row) => row.seq)
    } catch (error) {
      throw this.fence?.refusal(error) ?? error
    }
    // The function returns the seqs sorted; they were drawn in insertion order, so they line up
    // with the updates.
    const lastSeqs: number[] = []
    let index = 0
    for (const append of batch) {
      index += append.updates.length
      lastSeqs.push(append.updates.length === 0 ? 0 : (seqs[index - 1] as number))
    }
    return lastSeqs
  }
}
