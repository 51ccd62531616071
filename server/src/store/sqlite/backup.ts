/**
 * A consistent copy of the database while the server runs (SQLite's online backup: the copy is
 * one point in time, whatever the server writes meanwhile), and putting such a copy back.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './migrations.ts'
import { DATABASE_FILE } from './openDatabase.ts'

/** Copies the live database of `dataDir` into `file` (which must not exist). */
export async function backupDatabase(dataDir: string, file: string): Promise<number> {
  if (fs.existsSync(file)) throw new Error(`${file} already exists; choose a new file`)
  const source = path.join(dataDir, DATABASE_FILE)
  if (!fs.existsSync(source)) throw new Error(`no database in ${dataDir}`)
  const db = new Database(source, { readonly: true, fileMustExist: true })
  try {
    await db.backup(file)
  } finally {
    db.close()
  }
  return checkBackup(file)
}

/** Opens a backup read-only and checks it is a Kartu database this version can read. */
export function checkBackup(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const integrity = db.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') throw new Error(`${file} is damaged: ${String(integrity)}`)
    const version = db.pragma('user_version', { simple: true }) as number
    if (version < 1 || version > migrations.length) {
      throw new Error(`${file} is not a Kartu database this version can read (schema ${version})`)
    }
    const row = db.prepare('SELECT COUNT(*) AS n FROM doc_snapshots').get() as { n: number }
    return row.n
  } finally {
    db.close()
  }
}

/**
 * Replaces the database of `dataDir` with the backup `file`. Run it with the server stopped. The
 * current database is kept beside it (kartu.db.before-restore-<time>), never deleted.
 */
export function restoreDatabase(dataDir: string, file: string): { kept: string | null } {
  checkBackup(file)
  fs.mkdirSync(dataDir, { recursive: true })
  const target = path.join(dataDir, DATABASE_FILE)
  let kept: string | null = null
  if (fs.existsSync(target)) {
    // Fold the WAL into the file first, so the kept copy is whole on its own.
    const current = new Database(target)
    current.pragma('wal_checkpoint(TRUNCATE)')
    current.close()
    kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
    fs.renameSync(target, kept)
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true })
  // Copy to a temporary name, flush it to disk, then rename: a crash leaves either no database
  // or the whole backup, never half of one.
  const temporary = `${target}.restoring`
  fs.copyFileSync(file, temporary)
  const fd = fs.openSync(temporary, 'r+')
  fs.fsyncSync(fd)
  fs.closeSync(fd)
  fs.renameSync(temporary, target)
  return { kept }
}
