/**
 * Opens the configured storage. Today: SQLite in the data folder (the embedded default).
 */
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

export type Storage = {
  documents: DocumentStore
  repository: Repository
  /** Clearances and focal persons. */
  signOff: SignOffRecords
  inbox: InboxRecords
  search: SearchIndex
  /** Writes whatever is pending, then closes. Safe to call twice. */
  close(): Promise<void>
}

export function openStorage(dataDir: string): Storage {
  const db: SqliteDatabase = openDatabase(dataDir)
  const documents = new SqliteDocumentStore(db)
  const repository = new SqliteRepository(db)
  let closed = false
  return {
    documents,
    repository,
    signOff: new SqliteSignOff(db, repository),
    inbox: new SqliteInbox(db),
    search: new SqliteSearch(db),
    async close() {
      if (closed) return
      closed = true
      documents.flush()
      db.close()
    },
  }
}
