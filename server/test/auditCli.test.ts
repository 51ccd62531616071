/**
 * `pnpm kartu audit verify` on a real data folder: admin commands leave entries, the chain
 * verifies, and after someone edits the database file directly the command exits 1 and names the
 * entry they changed.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../src/store/sqlite/openDatabase.ts'
import { TEST_STORE } from '../src/testing/testPostgres.ts'
import { kartu, lastLine } from './helpers/cli.ts'
import { makeDataDir, type Seeded, seed } from './helpers/seed.ts'

type ListedEntry = {
  seq: number
  action: string
  subject: string
  actorUserId: string | null
  details: Record<string, unknown>
}

function listed(stdout: string): ListedEntry[] {
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ListedEntry)
}

const copies: string[] = []

/** A copy of the data folder, so that each tampering starts from the intact log. */
function copyOf(dataDir: string): string {
  const copy = makeDataDir()
  copies.push(copy)
  fs.copyFileSync(path.join(dataDir, DATABASE_FILE), path.join(copy, DATABASE_FILE))
  return copy
}

function tamper(dataDir: string, sql: string): void {
  const db = new Database(path.join(dataDir, DATABASE_FILE))
  try {
    // The triggers only stop accidents; someone editing the file removes them first.
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;')
    db.exec(sql)
  } finally {
    db.close()
  }
}

// SQLite only: it tampers with SQLite's file (the audit chain on PostgreSQL: Repository.test.ts). It runs in the default (SQLite) pass of the suite.
describe.skipIf(TEST_STORE === 'postgres')('pnpm kartu audit', () => {
  let seeded: Seeded

  afterAll(() => {
    for (const dir of [seeded.dataDir, ...copies]) fs.rmSync(dir, { recursive: true, force: true })
  })

  beforeAll(async () => {
    seeded = await seed()
    const dir = seeded.dataDir
    // Four admin actions, each one audit entry.
    const role = await kartu(
      dir,
      'member',
      'add',
      '--deck',
      seeded.deckId,
      '--email',
      'kp2mi@kartu.test',
      '--role',
      'suggester',
    )
    expect(role.code).toBe(0)
    const issued = await kartu(dir, 'token', 'issue', '--email', 'kemlu@kartu.test', '--days', '7')
    expect(issued.code).toBe(0)
    const lines = issued.stdout.trim().split('\n')
    const tokenId = lines.at(-2) ?? ''
    expect(tokenId).toMatch(/^[0-9a-f-]{36}$/)
    expect(lastLine(issued.stdout)).toMatch(/^kartu_/)
    expect((await kartu(dir, 'token', 'revoke', '--id', tokenId)).code).toBe(0)
    const same = await kartu(
      dir,
      'member',
      'add',
      '--deck',
      seeded.deckId,
      '--email',
      'kp2mi@kartu.test',
      '--role',
      'suggester',
    )
    expect(same.code).toBe(0)
    const added = await kartu(
      dir,
      'member',
      'add',
      '--deck',
      seeded.deckId,
      '--email',
      'viewer@kartu.test',
      '--role',
      'commenter',
    )
    expect(added.code).toBe(0)
  })

  it('lists what the admin commands did, and verifies the chain', async () => {
    const list = await kartu(seeded.dataDir, 'audit', 'list')
    expect(list.code).toBe(0)
    const entries = listed(list.stdout)
    // Setting a role a member already has changed nothing, so it left no entry.
    expect(entries.map((e) => [e.seq, e.action])).toEqual([
      [1, 'member.role_changed'],
      [2, 'token.issued'],
      [3, 'token.revoked'],
      [4, 'member.role_changed'],
    ])
    expect(entries[0]).toMatchObject({
      actorUserId: null,
      subject: `deck:${seeded.deckId}`,
      details: { via: 'cli', role: 'suggester', previousRole: 'editor', userId: 'user-kp2mi' },
    })
    expect(list.stdout).not.toMatch(/kartu_[A-Za-z0-9_-]{20,}/)

    const verify = await kartu(seeded.dataDir, 'audit', 'verify')
    expect(verify.code).toBe(0)
    expect(verify.stdout).toMatch(/^OK: 4 entries, the chain is intact\. Head: #4 [0-9a-f]{64}$/m)
  })

  it('exits 1 and names the entry whose details were changed in the file', async () => {
    const dir = copyOf(seeded.dataDir)
    tamper(dir, `UPDATE audit_log SET details = '{"role":"chair"}' WHERE seq = 2`)
    const verify = await kartu(dir, 'audit', 'verify')
    expect(verify.code).toBe(1)
    expect(verify.stdout).toContain('BROKEN at entry #2 (hash_mismatch)')
  })

  it('exits 1 naming a deleted entry, a deleted last entry and two swapped entries', async () => {
    const deleted = copyOf(seeded.dataDir)
    tamper(deleted, 'DELETE FROM audit_log WHERE seq = 3')
    const gap = await kartu(deleted, 'audit', 'verify')
    expect(gap.code).toBe(1)
    expect(gap.stdout).toContain('BROKEN at entry #3 (gap)')

    const truncated = copyOf(seeded.dataDir)
    tamper(truncated, 'DELETE FROM audit_log WHERE seq = 4')
    const end = await kartu(truncated, 'audit', 'verify')
    expect(end.code).toBe(1)
    expect(end.stdout).toContain('BROKEN at entry #4 (truncated)')

    const swapped = copyOf(seeded.dataDir)
    tamper(
      swapped,
      `UPDATE audit_log SET seq = -1 WHERE seq = 1;
       UPDATE audit_log SET seq = 1 WHERE seq = 3;
       UPDATE audit_log SET seq = 3 WHERE seq = -1;`,
    )
    const moved = await kartu(swapped, 'audit', 'verify')
    expect(moved.code).toBe(1)
    expect(moved.stdout).toContain('BROKEN at entry #1 (reordered)')
  })

  it('lists tokens with their expiry and revocation', async () => {
    const list = await kartu(seeded.dataDir, 'token', 'list', '--email', 'kemlu@kartu.test')
    expect(list.code).toBe(0)
    const [header, ...rows] = list.stdout.trim().split('\n')
    expect(header).toMatch(/^id\s+label\s+created\s+expires\s+revoked\s+state$/)
    // The seed's token, then the one issued and revoked above.
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(/\btest\b.*\bactive$/)
    expect(rows[1]).toMatch(/\bcli\b.*\d{4}-\d\d-\d\d \d\d:\d\d\s+revoked$/)
  })

  it('refuses a token lifetime that is not a whole number of days', async () => {
    const bad = await kartu(
      seeded.dataDir,
      'token',
      'issue',
      '--email',
      'kemlu@kartu.test',
      '--days',
      '0',
    )
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--days must be a whole number from 1 to 3650')
    const unknown = await kartu(seeded.dataDir, 'token', 'revoke', '--id', 'no-such-token')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no token no-such-token')
  })
})
