/**
 * The admin command line against a real data folder: import a deck, add a user, make them a
 * member, issue a token, and use that token on the API of a running server.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { DEMO_DECK_FILE } from '../src/demo/demoAccounts.ts'
import { kartuProcessArgs } from '../src/testing/kartuProcess.ts'
import { TEST_STORE } from '../src/testing/testPostgres.ts'
import { openTestStorage, testStoreEnv } from '../src/testing/testStore.ts'
import { makeDataDir } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const run = promisify(execFile)

async function kartu(dataDir: string, ...args: string[]) {
  return run(process.execPath, [...kartuProcessArgs(), ...args], {
    env: { ...process.env, KARTU_DATA_DIR: dataDir, ...(await testStoreEnv(dataDir)) },
  })
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? ''

describe('the kartu command line', () => {
  const dataDir = makeDataDir()
  let server: ServerProcess | null = null
  afterAll(async () => {
    await server?.stop()
  })

  it('migrates the schema of the configured database, and says which', async () => {
    const first = await kartu(dataDir, 'migrate')
    const second = await kartu(dataDir, 'migrate')
    if (TEST_STORE === 'postgres') {
      expect(first.stdout).toMatch(
        /^PostgreSQL schema up to date \(version \d+\); [1-9]\d* migrations? applied now$/m,
      )
      expect(second.stdout).toMatch(/; 0 migrations applied now$/m)
    } else {
      expect(first.stdout).toMatch(/^SQLite schema up to date \(version \d+\)$/m)
      expect(second.stdout).toBe(first.stdout)
    }
  })

  it.runIf(TEST_STORE === 'postgres')(
    'refuses backup and restore on PostgreSQL, naming its own tools',
    async () => {
      const failed = (promise: Promise<unknown>) =>
        promise.then(
          () => null,
          (error: { code: number; stderr: string }) => error,
        )
      const backup = await failed(kartu(dataDir, 'backup', path.join(dataDir, 'copy.db')))
      expect(backup?.code).toBe(2)
      expect(backup?.stderr).toContain("use PostgreSQL's pg_dump")
      const restore = await failed(kartu(dataDir, 'restore', path.join(dataDir, 'copy.db')))
      expect(restore?.code).toBe(2)
      expect(restore?.stderr).toContain("use PostgreSQL's pg_restore")
    },
  )

  it('imports a deck, adds a member by ministry alias, and issues a token that works', async () => {
    const imported = await kartu(dataDir, 'deck', 'import', DEMO_DECK_FILE)
    const deckId = lastLine(imported.stdout)
    expect(deckId).toMatch(/^[0-9a-f-]{36}$/)

    // "BP2MI" is the old name of KP2MI: users type either.
    await kartu(
      dataDir,
      'user',
      'add',
      '--email',
      'Siti@Example.go.id',
      '--name',
      'Siti',
      '--ministry',
      'BP2MI',
      '--password',
      'rahasia-sekali',
    )
    await kartu(
      dataDir,
      'member',
      'add',
      '--deck',
      deckId,
      '--email',
      'siti@example.go.id',
      '--role',
      'suggester',
    )
    const issued = await kartu(dataDir, 'token', 'issue', '--email', 'siti@example.go.id')
    const token = lastLine(issued.stdout)
    expect(token).toMatch(/^kartu_/)

    server = await startServer(dataDir)
    const me = await fetch(`${server.httpUrl}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({
      user: { email: 'siti@example.go.id', ministryId: 'KP2MI' },
      decks: [{ id: deckId, role: 'suggester' }],
    })
    const cards = await fetch(`${server.httpUrl}/api/decks/${deckId}/cards`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const body = (await cards.json()) as { cards: Array<{ ref: string; wordCount: number }> }
    expect(body.cards.length).toBeGreaterThanOrEqual(12)
    expect(body.cards[0]?.wordCount).toBeGreaterThan(50)
  })

  it('refuses bad input with a clear message and exit code 2', async () => {
    const failure = await kartu(
      dataDir,
      'member',
      'add',
      '--deck',
      'x',
      '--email',
      'a@b.c',
      '--role',
      'boss',
    ).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    )
    expect(failure?.code).toBe(2)
    expect(failure?.stderr).toContain(
      '--role must be one of chair, editor, suggester, commenter, viewer',
    )
    const unknown = await kartu(
      dataDir,
      'user',
      'add',
      '--email',
      'x@y.id',
      '--name',
      'X',
      '--ministry',
      'Nowhere',
      '--password',
      'abcdefghi',
    ).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    )
    expect(unknown?.code).toBe(2)
    expect(unknown?.stderr).toContain('unknown ministry "Nowhere"')
  })
  it('assigns a card, and refuses a ministry the deck does not have', async () => {
    const storage = await openTestStorage(dataDir)
    let cardId: string
    try {
      // The deck the first test imported, from its audit entry.
      const [deck] = (await storage.repository.listAudit(0, 1000))
        .filter((entry) => entry.action === 'deck.imported')
        .map((entry) => entry.subject.slice('deck:'.length))
      cardId = (await storage.repository.listCards(deck as string))[0]?.id as string
    } finally {
      await storage.close()
    }
    const assigned = await kartu(
      dataDir,
      'card',
      'assign',
      '--card',
      cardId,
      '--lead',
      'KP2MI',
      '--contributing',
      'KEMLU,KEMNAKER',
      '--due',
      '2026-12-10',
    )
    expect(lastLine(assigned.stdout)).toBe(
      'CC-01: lead KP2MI, contributing KEMLU, KEMNAKER, due 2026-12-10',
    )
    const refused = await kartu(dataDir, 'card', 'assign', '--card', cardId, '--lead', 'NOPE').then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    )
    expect(refused?.code).toBe(2)
    expect(refused?.stderr).toContain('The deck has no ministry NOPE.')
    const badDate = await kartu(
      dataDir,
      'card',
      'assign',
      '--card',
      cardId,
      '--lead',
      'KP2MI',
      '--due',
      'tomorrow',
    ).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    )
    expect(badDate?.stderr).toContain('--due must be a date (YYYY-MM-DD) or none')
  })
})
