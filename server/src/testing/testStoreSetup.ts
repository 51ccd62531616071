/**
 * Vitest global setup: names this run, so that the PostgreSQL schemas its tests make (all of them
 * with KARTU_TEST_STORE=postgres; the several-node tests' in either pass) can be told apart from
 * another run's, and drops them at the end. With KARTU_TEST_STORE=postgres, checks first that
 * PostgreSQL answers (loudly, and as a failure under CI=true).
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { postgresForTests, runSchemaPrefix, TEST_DATABASE_URL, TEST_STORE } from './testPostgres.ts'

export async function setup(): Promise<() => Promise<void>> {
  if (TEST_STORE === 'postgres' && !(await postgresForTests())) {
    throw new Error('KARTU_TEST_STORE=postgres, but PostgreSQL does not answer (see above)')
  }
  // Inherited by the test workers, which start after this.
  process.env.KARTU_TEST_RUN = randomBytes(4).toString('hex')
  const prefix = runSchemaPrefix()
  return async () => {
    const client = new pg.Client({
      connectionString: TEST_DATABASE_URL,
      connectionTimeoutMillis: 3000,
    })
    try {
      await client.connect()
    } catch (error) {
      // Without PostgreSQL no test made a schema (they skipped, loudly); on it, this is a failure.
      if (TEST_STORE === 'postgres') throw error
      return
    }
    try {
      const { rows } = await client.query<{ nspname: string }>(
        'SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)',
        [prefix],
      )
      for (const { nspname } of rows) await client.query(`DROP SCHEMA ${nspname} CASCADE`)
    } finally {
      await client.end()
    }
  }
}
