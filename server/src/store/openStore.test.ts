/**
 * Which storage opens, and what opening PostgreSQL checks: the migrations run once however many
 * nodes start together, a schema from a newer Kartu is refused, and a database that would report
 * a commit before it is on disk (synchronous_commit=off) is refused with the reason.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { makeTempDir, removeDir } from '../testing/tempStorage.ts'
import { createTestSchema, postgresForTests, type TestSchema } from '../testing/testPostgres.ts'
import { openStorage, type Storage } from './openStore.ts'
import { migratePg, openPool } from './postgres/database.ts'
import { pgMigrations } from './postgres/migrations.ts'

const hasPostgres = await postgresForTests()

describe('openStorage', () => {
  const opened: Storage[] = []
  const schemas: TestSchema[] = []
  const dirs: string[] = []

  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close()
    for (const schema of schemas.splice(0)) await schema.drop()
    for (const dir of dirs.splice(0)) removeDir(dir)
  })

  const tempDir = () => {
    const dir = makeTempDir()
    dirs.push(dir)
    return dir
  }
  const schema = async () => {
    const made = await createTestSchema()
    schemas.push(made)
    return made
  }

  it('opens SQLite in the data folder when no database URL is given', async () => {
    const storage = await openStorage({ dataDir: tempDir(), databaseUrl: null })
    opened.push(storage)
    expect(storage.engine).toBe('sqlite')
    expect(await storage.repository.listMinistries()).toEqual([])
  })

  describe.skipIf(!hasPostgres)('on PostgreSQL', () => {
    it('opens PostgreSQL at the URL, migrated, and closes twice without error', async () => {
      const { url } = await schema()
      const storage = await openStorage({ dataDir: tempDir(), databaseUrl: url })
      expect(storage.engine).toBe('postgres')
      await storage.repository.upsertMinistry({
        id: 'KP2MI',
        short: 'KP2MI',
        nameId: 'Kementerian P2MI',
        nameEn: 'Ministry P2MI',
        aliases: [],
        color: '#b91c1c',
      })
      expect((await storage.repository.listMinistries()).map((m) => m.id)).toEqual(['KP2MI'])
      await storage.close()
      await expect(storage.close()).resolves.toBeUndefined()
    })

    it('five nodes starting together migrate once, and each finds the schema whole', async () => {
      const { url } = await schema()
      const nodes = await Promise.all(
        Array.from({ length: 5 }, () => openStorage({ dataDir: tempDir(), databaseUrl: url })),
      )
      opened.push(...nodes)
      const pool = openPool(url)
      try {
        const { rows } = await pool.query<{ version: number }>(
          'SELECT version FROM kartu_schema_version',
        )
        expect(rows).toEqual([{ version: pgMigrations.length }])
        expect(await migratePg(pool)).toBe(0)
      } finally {
        await pool.end()
      }
      for (const node of nodes) expect(await node.repository.listMinistries()).toEqual([])
    })

    it('refuses a schema written by a newer Kartu, and changes nothing', async () => {
      const { url } = await schema()
      const pool = openPool(url)
      try {
        await migratePg(pool)
        await pool.query('UPDATE kartu_schema_version SET version = $1', [pgMigrations.length + 1])
      } finally {
        await pool.end()
      }
      await expect(openStorage({ dataDir: tempDir(), databaseUrl: url })).rejects.toThrow(
        /written by a newer Kartu/,
      )
    })

    it('refuses a database with synchronous_commit=off, saying why', async () => {
      const { url } = await schema()
      const asynchronous = new URL(url)
      asynchronous.searchParams.set(
        'options',
        `${asynchronous.searchParams.get('options') ?? ''} -c synchronous_commit=off`,
      )
      await expect(
        openStorage({ dataDir: tempDir(), databaseUrl: asynchronous.toString() }),
      ).rejects.toThrow(/synchronous_commit=off: a crash could lose edits/)
    })

    it('fails with the connection error when PostgreSQL cannot be reached', async () => {
      await expect(
        openStorage({
          dataDir: tempDir(),
          databaseUrl: 'postgres://postgres@127.0.0.1:1/test?connect_timeout=2',
        }),
      ).rejects.toThrow(/ECONNREFUSED|connect/)
    })
  })
})
