/**
 * The backup docs/operations.md gives for PostgreSQL, done as written: pg_dump in its custom
 * format, pg_restore --no-owner into an empty database. What comes back must be a Kartu
 * database Kartu can go on writing: the documents and their snapshots, the schema version (no
 * migration runs again), and the PL/pgSQL functions every append and compaction calls.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { edit, TEXT, textOf } from '../../testing/collabFixtures.ts'
import {
  createTestSchema,
  postgresForTests,
  TEST_DATABASE_URL,
} from '../../testing/testPostgres.ts'
import { DocumentLeases } from './DocumentLeases.ts'
import { migratePg, openPool, type PgPool } from './database.ts'
import { PgDocumentStore } from './PgDocumentStore.ts'

const run = promisify(execFile)
const hasPostgres = await postgresForTests()

/**
 * The database `name` beside the tests' one; with `schema`, as Kartu's search_path. (pg_dump
 * and pg_restore get no search_path: libpq would not read the `+` of the encoded space.)
 */
function databaseUrl(name: string, schema?: string): string {
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  if (schema) url.searchParams.set('options', `-c search_path=${schema}`)
  return url.toString()
}

describe.skipIf(!hasPostgres)('a PostgreSQL backup with pg_dump and pg_restore', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('restores into an empty database one that Kartu reads and goes on writing', async () => {
    const schema = await createTestSchema()
    cleanups.push(() => schema.drop())
    const pools: PgPool[] = []
    cleanups.push(async () => {
      for (const pool of pools) await pool.end()
    })
    const original = openPool(schema.url)
    pools.push(original)
    const migrations = await migratePg(original)
    expect(migrations).toBeGreaterThan(0)
    const before = new PgDocumentStore(original)
    const doc = new Y.Doc()
    await before.appendUpdates('card:kept', [edit(doc, 'disimpan ')])
    const seq = await before.appendUpdates('card:kept', [edit(doc, 'sebelum ')])
    await before.compact('card:kept', Y.encodeStateAsUpdate(doc), seq)
    await before.appendUpdates('card:kept', [edit(doc, 'cadangan')])

    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-pgdump-'))
    cleanups.push(async () => fs.rmSync(folder, { recursive: true, force: true }))
    const dump = path.join(folder, 'kartu.dump')
    // As operations.md says, but for the one schema of this test (the others are other tests').
    await run('pg_dump', [
      '--format=custom',
      `--schema=${schema.name}`,
      `--file=${dump}`,
      TEST_DATABASE_URL,
    ])

    const database = `kartu_restore_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${database}`)
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      await admin.end()
    })
    await run('pg_restore', ['--no-owner', `--dbname=${databaseUrl(database)}`, dump])
    const restoredUrl = databaseUrl(database, schema.name)

    const restored = openPool(restoredUrl)
    pools.push(restored)
    // The schema version came back: nothing runs again.
    expect(await migratePg(restored)).toBe(0)
    // Several nodes' appends and compactions call both functions, with a lease to check.
    const leases = new DocumentLeases(restored, {
      nodeId: 'after-restore',
      nodeUrl: 'http://after-restore.internal:8080',
      ttlMs: 10_000,
    })
    expect(await leases.acquire('card:kept')).toMatchObject({ mine: true })
    const after = new PgDocumentStore(restored, leases)
    const typed = doc.getText(TEXT).toString()
    expect(typed).toHaveLength('disimpan sebelum cadangan'.length)
    expect(textOf(await after.loadDocument('card:kept'))).toBe(typed)
    const next = await after.appendUpdates('card:kept', [edit(doc, ' lagi')])
    expect(next).toBeGreaterThan(seq)
    await after.compact('card:kept', Y.encodeStateAsUpdate(doc), next)
    const stored = await after.loadDocument('card:kept')
    expect(stored.updates).toEqual([])
    expect(textOf(stored)).toBe(doc.getText(TEXT).toString())
    expect(textOf(stored)).toHaveLength(typed.length + ' lagi'.length)
  })
})
