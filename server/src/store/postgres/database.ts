/**
 * Kartu's PostgreSQL connection pool: BIGINT read back as a JavaScript number (every BIGINT in
 * the schema is a time in milliseconds or a sequence number, far below 2^53), one helper for
 * transactions, and the migrations, run under an advisory lock so that nodes starting together
 * migrate once.
 */
import pg from 'pg'
import { pgMigrations } from './migrations.ts'

export type PgPool = pg.Pool
export type PgClient = pg.PoolClient
/** A pool or a client in a transaction: what a query can run on. */
export type Queryable = pg.Pool | pg.PoolClient

const INT8_OID = 20

/** Parses BIGINT and COUNT(*) as numbers; refuses one past 2^53 rather than rounding it. */
function parseBigint(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new Error(`a BIGINT beyond 2^53 was read: ${text}`)
  return value
}

/** Type parsing for every connection of Kartu's (and of tests reading its records). */
export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseBigint
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
}

export type PoolOptions = {
  /** The most connections this process holds; the default suits one node. */
  max?: number
}

export function openPool(url: string, options: PoolOptions = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: PG_TYPES,
    // A connection that cannot be had within this time fails the request with an error the
    // caller reports, instead of waiting for ever behind a stuck database.
    connectionTimeoutMillis: 10_000,
  })
  // An idle connection dropped by the server (restart, failover) is an 'error' on the pool; it
  // is replaced on the next query. Without a listener Node would end the process.
  pool.on('error', () => {})
  return pool
}

/**
 * Runs `work` in one transaction on one connection and commits; rolls back and rethrows if it
 * throws. Resolves only after COMMIT returned: what it wrote is durable then.
 */
export async function inTransaction<T>(
  pool: PgPool,
  work: (client: PgClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/**
 * Kartu tells its author an edit is saved once COMMIT returns. With synchronous_commit=off,
 * PostgreSQL returns before the commit is on disk, and a crash could lose saved words: refused,
 * with the reason, rather than run with a weaker promise. (on, remote_write, remote_apply and
 * local all flush the local WAL first.)
 */
export async function refuseAsynchronousCommit(pool: PgPool): Promise<void> {
  const { rows } = await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit')
  if (rows[0]?.synchronous_commit === 'off') {
    throw new Error(
      'PostgreSQL runs with synchronous_commit=off: a crash could lose edits Kartu reported saved. Set it to on for Kartu (ALTER ROLE or ALTER DATABASE ... SET synchronous_commit = on).',
    )
  }
}

/** An arbitrary, fixed key for pg_advisory_xact_lock: "migrating Kartu's schema". */
const MIGRATION_LOCK = 0x4b415254

/**
 * Applies the migrations not yet applied, each in its own transaction, under an advisory lock
 * held until the end of the transaction: a second node starting at the same moment waits, then
 * finds nothing left to do. Refuses a schema written by a newer Kartu. Returns how many ran.
 */
export async function migratePg(pool: PgPool): Promise<number> {
  let applied = 0
  for (;;) {
    const ran = await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      await client.query(
        'CREATE TABLE IF NOT EXISTS kartu_schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)',
      )
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM kartu_schema_version WHERE id = 1',
      )
      const current = rows[0]?.version ?? 0
      if (current > pgMigrations.length) {
        throw new Error(
          `The database was written by a newer Kartu (schema ${current}, this one knows ${pgMigrations.length}).`,
        )
      }
      if (current === pgMigrations.length) return false
      await client.query(pgMigrations[current] as string)
      await client.query(
        `INSERT INTO kartu_schema_version (id, version) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version`,
        [current + 1],
      )
      return true
    })
    if (!ran) return applied
    applied += 1
  }
}
