/**
 * `pnpm kartu backup` while the server runs and clients type, then `pnpm kartu restore` into a
 * fresh data folder: every document comes back as it was when the backup was taken.
 */
import fs from 'node:fs'
import path from 'node:path'
import { cardDocumentName } from '@kartu/protocol'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openSqliteStorage } from '../src/store/openStore.ts'
import { TEST_STORE } from '../src/testing/testPostgres.ts'
import { kartu } from './helpers/cli.ts'
import { connectClient, firstText, type TestClient } from './helpers/clients.ts'
import { makeDataDir, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

/** Every stored document of a data folder, as readable content (not bytes: compaction differs). */
async function documents(dataDir: string): Promise<Map<string, string>> {
  const storage = openSqliteStorage(dataDir)
  try {
    const db = new Database(path.join(dataDir, 'kartu.db'), { readonly: true })
    const names = db
      .prepare('SELECT name FROM doc_snapshots UNION SELECT name FROM doc_updates')
      .all() as Array<{ name: string }>
    db.close()
    const out = new Map<string, string>()
    for (const { name } of names) {
      const stored = await storage.documents.loadDocument(name)
      const doc = new Y.Doc()
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
      for (const update of stored.updates) Y.applyUpdate(doc, update)
      out.set(
        name,
        JSON.stringify([doc.getXmlFragment('answer').toString(), doc.getMap('authors').toJSON()]),
      )
      doc.destroy()
    }
    return out
  } finally {
    await storage.close()
  }
}

// SQLite only: backup and restore copy SQLite's file (PostgreSQL has pg_dump). It runs in the default (SQLite) pass of the suite.
describe.skipIf(TEST_STORE === 'postgres')('backup and restore', () => {
  let server: ServerProcess | null = null
  const clients: TestClient[] = []
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await server?.stop()
    server = null
  })

  it('copies a running database consistently and restores every document', async () => {
    const seeded = await seed()
    server = await startServer(seeded.dataDir)
    const token = seeded.users.kp2mi?.token as string
    const writers = [0, 1, 2].map((i) =>
      connectClient(server?.wsUrl as string, cardDocumentName(seeded.cardIds[i] as string), token),
    )
    clients.push(...writers)
    await Promise.all(writers.map((w) => w.synced()))
    for (const [i, writer] of writers.entries())
      firstText(writer.doc).insert(0, `Sebelum cadangan ${i}. `)
    await Promise.all(writers.map((w) => w.saved()))

    // Keep typing while the backup runs: the copy must still be one consistent moment.
    let typing = true
    const typist = (async () => {
      let n = 0
      while (typing) {
        firstText(writers[0]?.doc as Y.Doc).insert(0, `${n++} `)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    const file = path.join(makeDataDir(), 'cadangan.db')
    const backup = await kartu(seeded.dataDir, 'backup', file)
    typing = false
    await typist
    expect(backup.code).toBe(0)
    expect(fs.existsSync(file)).toBe(true)
    const atBackup = await documents(await copyAsDataDir(file))

    await server.stop()
    server = null
    const restoredDir = makeDataDir()
    const restore = await kartu(restoredDir, 'restore', file)
    expect(restore.code).toBe(0)
    const restored = await documents(restoredDir)
    expect(restored.size).toBeGreaterThanOrEqual(16)
    expect(restored).toEqual(atBackup)
    for (const i of [0, 1, 2]) {
      const name = cardDocumentName(seeded.cardIds[i] as string)
      expect(restored.get(name)).toContain(`Sebelum cadangan ${i}.`)
    }
    // And the restored folder serves: a client syncs the restored text.
    server = await startServer(restoredDir)
    const reader = connectClient(server.wsUrl, cardDocumentName(seeded.cardIds[1] as string), token)
    clients.push(reader)
    await reader.synced()
    expect(firstText(reader.doc).toString()).toContain('Sebelum cadangan 1.')
  })

  it('refuses a file that is not a Kartu database, and keeps the current one', async () => {
    const dataDir = makeDataDir()
    const bogus = path.join(dataDir, 'bukan.db')
    fs.writeFileSync(bogus, 'bukan basis data')
    const result = await kartu(dataDir, 'restore', bogus)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/not a database|damaged|not a Kartu database/)
  })
})

/** A backup file as the only database of a new data folder, to read it with the store. */
async function copyAsDataDir(file: string): Promise<string> {
  const dir = makeDataDir()
  fs.copyFileSync(file, path.join(dir, 'kartu.db'))
  return dir
}
