import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir, removeDir } from '../../testing/tempStorage.ts'
import { migrations } from './migrations.ts'
import { DATABASE_FILE, openDatabase } from './openDatabase.ts'

describe('openDatabase', () => {
  let dir: string

  beforeEach(() => {
    dir = makeTempDir()
  })

  afterEach(() => {
    removeDir(dir)
  })

  it('creates the folder and the file, applies every migration, and turns on WAL and FKs', () => {
    const nested = path.join(dir, 'data', 'kartu')
    const db = openDatabase(nested)
    expect(fs.existsSync(path.join(nested, DATABASE_FILE))).toBe(true)
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    db.close()
  })

  it('keeps the data when opened again, without re-running migrations', () => {
    const first = openDatabase(dir)
    first.prepare("INSERT INTO doc_updates (name, data) VALUES ('card:1', x'00')").run()
    first.close()
    const second = openDatabase(dir)
    expect(second.prepare('SELECT count(*) AS n FROM doc_updates').get()).toEqual({ n: 1 })
    expect(second.pragma('user_version', { simple: true })).toBe(migrations.length)
    second.close()
  })

  it('refuses a database written by a newer schema', () => {
    const raw = new Database(path.join(dir, DATABASE_FILE))
    raw.pragma(`user_version = ${migrations.length + 1}`)
    raw.close()
    expect(() => openDatabase(dir)).toThrow(/newer Kartu/)
  })
})
