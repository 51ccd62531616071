/**
 * Opens Kartu's SQLite database: WAL journal, synchronous=FULL (a commit is on disk when it
 * returns), foreign keys on, and the migrations applied.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './migrations.ts'

export type SqliteDatabase = Database.Database

export const DATABASE_FILE = 'kartu.db'

export function openDatabase(dataDir: string): SqliteDatabase {
  fs.mkdirSync(dataDir, { recursive: true })
  const db = new Database(path.join(dataDir, DATABASE_FILE))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  // Another process (the CLI while the server runs) may hold the write lock for a moment.
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > migrations.length) {
    throw new Error(
      `The database was written by a newer Kartu (schema ${current}, this one knows ${migrations.length}).`,
    )
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version] as string)
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}
