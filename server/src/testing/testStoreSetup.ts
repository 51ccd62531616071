/**
 * Vitest global setup: when the suite runs on PostgreSQL (KARTU_TEST_STORE=postgres), checks it
 * answers (loudly, and as a failure under CI=true), names this run so that the schemas its tests
 * make can be told apart, and drops them all at the end.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { postgresForTests, runSchemaPrefix, TEST_DATABASE_URL, TEST_STORE } from './testPostgres.ts'

export async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (TEST_STORE !== 'postgres') return undefined
  if (!(await postgresForTests())) {
    throw new Error('KARTU_TEST_STORE=postgres, but PostgreSQL does not answer (see above)')
  }
  // Inherited by the test workers, which start after this.
  process.env.KARTU_TEST_RUN = randomBytes(4).toString('hex')
  const prefix = runSchemaPrefix()
  return async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await client.connect()
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
