/**
 * The engine the tests store in. By default SQLite in each test's data folder; with
 * KARTU_TEST_STORE=postgres every test that opens storage or starts a server works on the
 * machine's PostgreSQL instead, in a schema of its own named after its data folder, so that the
 * helpers that seed a folder and the server process started on it find the same records.
 */
import { createHash } from 'node:crypto'
import path from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { openStorage, type Storage, type StorageLocation } from '../store/openStore.ts'
import { PG_TYPES } from '../store/postgres/database.ts'
import { DATABASE_FILE } from '../store/sqlite/openDatabase.ts'
import { createTestSchema, dropSchema, runSchemaPrefix, TEST_STORE } from './testPostgres.ts'

/** The schema a data folder's records live in when the tests run on PostgreSQL. */
export function schemaOfDataDir(dataDir: string): string {
  return `${runSchemaPrefix()}${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`
}

/** Data folders whose records are on PostgreSQL whatever the pass (tests of several nodes). */
const onPostgres = new Set<string>()

/** Keeps this data folder's records on PostgreSQL, in either pass of the suite. */
export function keepOnPostgres(dataDir: string): void {
  onPostgres.add(dataDir)
}

/** Where a test's records are: its data folder, and on PostgreSQL its schema (made if missing). */
export async function testStorageLocation(dataDir: string): Promise<StorageLocation> {
  if (TEST_STORE === 'sqlite' && !onPostgres.has(dataDir)) return { dataDir, databaseUrl: null }
  const schema = await createTestSchema(schemaOfDataDir(dataDir))
  return { dataDir, databaseUrl: schema.url }
}

/** Opens the storage of a test's data folder on the engine the suite runs on. */
export async function openTestStorage(dataDir: string): Promise<Storage> {
  return openStorage(await testStorageLocation(dataDir))
}

/** What a server or CLI process started on `dataDir` needs in its environment to find it. */
export async function testStoreEnv(dataDir: string): Promise<Record<string, string>> {
  const { databaseUrl } = await testStorageLocation(dataDir)
  return databaseUrl ? { KARTU_DATABASE_URL: databaseUrl } : {}
}

/** Drops a data folder's PostgreSQL schema, if the tests run there (its folder is removed apart). */
export async function dropTestStore(dataDir: string): Promise<void> {
  if (TEST_STORE === 'sqlite' && !onPostgres.has(dataDir)) return
  await dropSchema(schemaOfDataDir(dataDir))
}

/**
 * Runs one SQL statement on a test's records behind the server's back (a clock moved on, a byte
 * garbled), on whichever engine holds them: `?` placeholders, rows back for a query.
 */
export async function runTestSql(
  dataDir: string,
  sql: string,
  params: ReadonlyArray<string | number | Uint8Array | null> = [],
): Promise<Array<Record<string, unknown>>> {
  if (TEST_STORE === 'sqlite' && !onPostgres.has(dataDir)) {
    const db = new Database(path.join(dataDir, DATABASE_FILE))
    try {
      const statement = db.prepare(sql)
      const values = params.map((value) =>
        value instanceof Uint8Array ? Buffer.from(value) : value,
      )
      if (statement.reader) return statement.all(...values) as Array<Record<string, unknown>>
      statement.run(...values)
      return []
    } finally {
      db.close()
    }
  }
  let index = 0
  const text = sql.replace(/\?/g, () => `$${++index}`)
  const client = new pg.Client({
    connectionString: (await testStorageLocation(dataDir)).databaseUrl ?? '',
    types: PG_TYPES,
  })
  await client.connect()
  try {
    const result = await client.query(
      text,
      params.map((value) => (value instanceof Uint8Array ? Buffer.from(value) : value)),
    )
    return result.rows as Array<Record<string, unknown>>
  } finally {
    await client.end()
  }
}
