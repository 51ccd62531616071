/**
 * Opens the configured storage. Today: SQLite in the data folder (the embedded default).
 */
import { openDatabase, type SqliteDatabase } from './sqlite/openDatabase.ts'
import { SqliteDocumentStore } from './sqlite/SqliteDocumentStore.ts'
import { SqliteRepository } from './sqlite/SqliteRepository.ts'
import type { DocumentStore, Repository } from './types.ts'

export type Storage = {
  documents: DocumentStore
  repository: Repository
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
    async close() {
      if (closed) return
      closed = true
      documents.flush()
      db.close()
    },
  }
}
