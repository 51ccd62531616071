/**
 * The machine's PostgreSQL for tests: each test gets a schema of its own in the `test` database
 * (created empty, dropped by `drop()`), reached through a URL whose search_path names it, so a
 * server process given that URL works in it alone.
 *
 * Where PostgreSQL does not answer, `postgresForTests()` says so loudly and the suite skips;
 * under CI=true its absence is a failure instead.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The server tests use: KARTU_TEST_DATABASE_URL, or CI's (trust auth, database `test`). */
export const TEST_DATABASE_URL =
  process.env.KARTU_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** The engine the suite stores in (testStore.ts): KARTU_TEST_STORE=postgres, or SQLite. */
export const TEST_STORE: 'sqlite' | 'postgres' =
  process.env.KARTU_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite'

/**
 * The schemas of one run of the suite begin with this (set by testStoreSetup.ts, so that its
 * teardown drops what this run made and nothing of another run's).
 */
export function runSchemaPrefix(): string {
  return `kartu_t_${process.env.KARTU_TEST_RUN ?? 'x'}_`
}

let reachable: Promise<boolean> | null = null

async function probe(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    connectionTimeoutMillis: 3000,
  })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch (error) {
    const message = `PostgreSQL is not reachable at ${TEST_DATABASE_URL}: ${String(error)}`
    if (process.env.CI === 'true') throw new Error(`${message} (CI=true: PostgreSQL is required)`)
    console.warn(
      `\n!!!!!!!!\n!!! SKIPPING the PostgreSQL tests: ${message}\n!!! Start PostgreSQL or set KARTU_TEST_DATABASE_URL.\n!!!!!!!!\n`,
    )
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

/** Whether the PostgreSQL tests can run (probed once per test file). Throws under CI=true. */
export function postgresForTests(): Promise<boolean> {
  reachable ??= probe()
  return reachable
}

export type TestSchema = {
  /** The schema's name (kartu_t_…). */
  name: string
  /** TEST_DATABASE_URL with the schema as search_path. */
  url: string
  /** Drops the schema and everything in it. */
  drop(): Promise<void>
}

async function onAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

export function schemaUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL)
  url.searchParams.set('options', `-c search_path=${name}`)
  return url.toString()
}

/** Creates an empty schema of a fresh name (or of `name`, if given and not there yet). */
export async function createTestSchema(
  name = `kartu_t_${randomBytes(6).toString('hex')}`,
): Promise<TestSchema> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a schema name: ${name}`)
  await onAdmin((client) => client.query(`CREATE SCHEMA IF NOT EXISTS ${name}`))
  return {
    name,
    url: schemaUrl(name),
    drop: () => dropSchema(name),
  }
}

/** Drops a test schema and everything in it (nothing if it is not there). */
export async function dropSchema(name: string): Promise<void> {
  if (!/^kartu_t_[a-z0-9_]+$/.test(name)) throw new Error(`not a test schema: ${name}`)
  await onAdmin((client) => client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`))
}
