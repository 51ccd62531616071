/**
 * Opens the configured storage: SQLite in the data folder (the embedded default), or PostgreSQL
 * when a database URL is configured (KARTU_DATABASE_URL), behind the same interfaces.
 */

import { DocumentLeases, type DocumentLeasesOptions } from './postgres/DocumentLeases.ts'
import { migratePg, openPool, refuseAsynchronousCommit } from './postgres/database.ts'
import { PgDocumentStore } from './postgres/PgDocumentStore.ts'
import { PgInbox } from './postgres/PgInbox.ts'
import { PgRepository } from './postgres/PgRepository.ts'
import { PgSearch } from './postgres/PgSearch.ts'
import { PgSignOff } from './postgres/PgSignOff.ts'
import { openDatabase, type SqliteDatabase } from './sqlite/openDatabase.ts'
import { SqliteDocumentStore } from './sqlite/SqliteDocumentStore.ts'
import { SqliteInbox } from './sqlite/SqliteInbox.ts'
import { SqliteRepository } from './sqlite/SqliteRepository.ts'
import { SqliteSearch } from './sqlite/SqliteSearch.ts'
import { SqliteSignOff } from './sqlite/SqliteSignOff.ts'
import type {
  DocumentStore,
  InboxRecords,
  Repository,
  SearchIndex,
  SignOffRecords,
} from './types.ts'

export type StorageEngine = 'sqlite' | 'postgres'

export type Storage = {
  /** Which engine holds it (the backup command and the doctor's file checks are SQLite's). */
  engine: StorageEngine
  documents: DocumentStore
  repository: Repository
  /** Clearances and focal persons. */
  signOff: SignOffRecords
  inbox: InboxRecords
  search: SearchIndex
  /**
   * Which node holds which document, when this process is one of several nodes (decision
   * 0018); null otherwise. The document store's writes are fenced by it.
   */
  leases: DocumentLeases | null
  /** Writes whatever is pending, then closes. Safe to call twice. */
  close(): Promise<void>
}

/**
 * Where the storage is: the data folder, and PostgreSQL's URL when it is used instead; with
 * `node`, this process is one of several nodes on that database.
 */
export type StorageLocation = {
  dataDir: string
  databaseUrl?: string | null
  node?: DocumentLeasesOptions | null
}

/** Opens (and migrates) the storage `location` names. */
export async function openStorage(location: StorageLocation): Promise<Storage> {
  if (location.databaseUrl) return openPostgresStorage(location.databaseUrl, location.node ?? null)
  if (location.node) throw new Error('several nodes need PostgreSQL (KARTU_DATABASE_URL)')
  return openSqliteStorage(location.dataDir)
}

/** SQLite in `dataDir` (created and migrated if needed). */
export function openSqliteStorage(dataDir: string): Storage {
  const db: SqliteDatabase = openDatabase(dataDir)
  const documents = new SqliteDocumentStore(db)
  const repository = new SqliteRepository(db)
  let closed = false
  return {
    engine: 'sqlite',
    documents,
    repository,
    signOff: new SqliteSignOff(db, repository),
    inbox: new SqliteInbox(db),
    search: new SqliteSearch(db),
    leases: null,
    async close() {
      if (closed) return
      closed = true
      documents.flush()
      db.close()
    },
  }
}

/**
 * PostgreSQL at `url`: the schema is migrated first (under a lock, so that nodes starting
 * together migrate once).
 */
export async function openPostgresStorage(
  url: string,
  node: DocumentLeasesOptions | null = null,
): Promise<Storage> {
  const pool = openPool(url)
  try {
    await refuseAsynchronousCommit(pool)
    await migratePg(pool)
  } catch (error) {
    await pool.end().catch(() => {})
    throw error
  }
  const leases = node ? new DocumentLeases(pool, node) : null
  const documents = new PgDocumentStore(pool, leases)
  const repository = new PgRepository(pool)
  let closing: Promise<void> | null = null
  return {
    engine: 'postgres',
    documents,
    repository,
    signOff: new PgSignOff(pool, repository),
    inbox: new PgInbox(pool),
    search: new PgSearch(pool),
    leases,
    close() {
      // What is queued is committed before the pool ends: a Persisted already sent stays true.
      const done = closing ?? documents.drain().finally(() => pool.end())
      closing = done
      return done
    },
  }
}
