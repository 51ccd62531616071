/**
 * The verifier against deliberate tampering: a real SQLite file with a chain of entries, copied
 * once per trial and changed with plain SQL (as someone with the file would), then verified.
 * Every tampering must be found, at the entry where it was made.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqliteStorage } from '../store/openStore.ts'
import { DATABASE_FILE } from '../store/sqlite/openDatabase.ts'
import { makeTempDir, removeDir } from '../testing/tempStorage.ts'
import { AuditLog } from './AuditLog.ts'
import { AuditAction } from './auditEvents.ts'
import { AuditProblem, type AuditVerification } from './verifyAuditChain.ts'

const ENTRIES = 150
const TRIALS = 160

/** mulberry32: a small seeded generator, so that a failing trial can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ACTIONS = Object.values(AuditAction)
const FIELDS = ['seq', 'at', 'actor_user_id', 'action', 'subject', 'details', 'prev_hash'] as const
type Field = (typeof FIELDS)[number]

type Tampering =
  | { kind: 'field'; seq: number; field: Field }
  | { kind: 'hash'; seq: number }
  | { kind: 'delete'; seq: number }
  | { kind: 'swap'; a: number; b: number }

type Row = {
  seq: number
  at: number
  actor_user_id: string | null
  action: string
  subject: string
  details: string
  prev_hash: string
  hash: string
}

function describeTampering(t: Tampering): string {
  if (t.kind === 'swap') return `swap #${t.a} and #${t.b}`
  if (t.kind === 'field') return `change ${t.field} of #${t.seq}`
  return `${t.kind} #${t.seq}`
}

/** Changes the copied database directly, as someone with the file could. */
function tamper(file: string, t: Tampering, random: () => number): void {
  const db = new Database(file)
  try {
    // Whoever edits the file can drop the append-only triggers too; the chain must still tell.
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;')
    if (t.kind === 'delete') {
      db.prepare('DELETE FROM audit_log WHERE seq = ?').run(t.seq)
      return
    }
    if (t.kind === 'swap') {
      const move = db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?')
      db.transaction(() => {
        move.run(-1, t.a)
        move.run(t.a, t.b)
        move.run(t.b, -1)
      })()
      return
    }
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(t.seq) as Row
    const randomHex = () =>
      Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('')
    if (t.kind === 'hash') {
      db.prepare('UPDATE audit_log SET hash = ? WHERE seq = ?').run(randomHex(), t.seq)
      return
    }
    const changed: Record<Field, () => string | number | null> = {
      // An unused number: the entry leaves its place in the sequence.
      seq: () => ENTRIES + 1000 + Math.floor(random() * 1000),
      at: () => row.at + 1 + Math.floor(random() * 86_400_000),
      actor_user_id: () => (row.actor_user_id === null ? 'user-intruder' : null),
      action: () => ACTIONS.filter((a) => a !== row.action)[Math.floor(random() * 5)] ?? 'x',
      subject: () => `${row.subject}-edited`,
      // A meaningful change that keeps the JSON valid and canonical.
      details: () => {
        const details = JSON.parse(row.details) as Record<string, unknown>
        return JSON.stringify({ ...details, i: Number(details.i) + 1 })
      },
      prev_hash: randomHex,
    }
    const value = changed[t.field]()
    expect(value).not.toEqual(row[t.field])
    db.prepare(`UPDATE audit_log SET ${t.field} = ? WHERE seq = ?`).run(value, t.seq)
  } finally {
    db.close()
  }
}

/** Where and how the verifier must report the tampering. */
function expected(t: Tampering): { seq: number; problem: string } {
  switch (t.kind) {
    case 'delete':
      return {
        seq: t.seq,
        problem: t.seq === ENTRIES ? AuditProblem.Truncated : AuditProblem.Gap,
      }
    case 'swap':
      return { seq: t.a, problem: AuditProblem.Reordered }
    case 'hash':
      return { seq: t.seq, problem: AuditProblem.HashMismatch }
    case 'field':
      return {
        seq: t.seq,
        problem:
          t.field === 'seq'
            ? AuditProblem.Gap
            : t.field === 'prev_hash'
              ? AuditProblem.PrevHashMismatch
              : AuditProblem.HashMismatch,
      }
  }
}

function pickTampering(trial: number, random: () => number): Tampering {
  const position = () => 1 + Math.floor(random() * ENTRIES)
  // Kinds in turn, so that each gets a quarter of the trials; places at random.
  switch (trial % 4) {
    case 0:
      return { kind: 'field', seq: position(), field: FIELDS[trial % FIELDS.length] as Field }
    case 1:
      return { kind: 'delete', seq: trial % 20 === 1 ? ENTRIES : position() }
    case 2: {
      const a = position()
      let b = position()
      while (b === a) b = position()
      return { kind: 'swap', a: Math.min(a, b), b: Math.max(a, b) }
    }
    default:
      return { kind: 'hash', seq: position() }
  }
}

async function verifyCopy(dir: string): Promise<AuditVerification> {
  const storage = openSqliteStorage(dir)
  try {
    return await new AuditLog(storage.repository).verify()
  } finally {
    await storage.close()
  }
}

describe('verifyAuditChain against tampering', () => {
  let baseDir: string
  const trialDirs: string[] = []

  beforeAll(async () => {
    baseDir = makeTempDir()
    const storage = openSqliteStorage(baseDir)
    const audit = new AuditLog(storage.repository, { now: () => 1_750_000_000_000 })
    for (let i = 0; i < ENTRIES; i++) {
      await audit.append({
        actorUserId: i % 4 === 0 ? null : `user-${i % 6}`,
        action: ACTIONS[i % ACTIONS.length] as AuditAction,
        subject: `card:c${i % 9}`,
        details: { i, address: `10.0.${i % 3}.1` },
      })
    }
    await storage.close()
  })
  afterAll(() => {
    for (const dir of [baseDir, ...trialDirs]) removeDir(dir)
  })

  it('accepts the untampered copy', async () => {
    expect(await verifyCopy(baseDir)).toMatchObject({ ok: true, count: ENTRIES })
  })

  it(`finds every one of ${TRIALS} random tamperings, at the entry tampered with`, async () => {
    const random = seededRandom(20260427)
    const found: Record<string, number> = {}
    const missed: string[] = []
    for (let trial = 0; trial < TRIALS; trial++) {
      const t = pickTampering(trial, random)
      const dir = makeTempDir()
      trialDirs.push(dir)
      // The base was closed cleanly, so the whole database is in the one file.
      fs.copyFileSync(path.join(baseDir, DATABASE_FILE), path.join(dir, DATABASE_FILE))
      tamper(path.join(dir, DATABASE_FILE), t, random)
      const result = await verifyCopy(dir)
      const want = expected(t)
      if (result.ok || result.seq !== want.seq || result.problem !== want.problem) {
        missed.push(`trial ${trial}: ${describeTampering(t)} -> ${JSON.stringify(result)}`)
        continue
      }
      expect(result.message).toContain(`#${want.seq}`)
      found[want.problem] = (found[want.problem] ?? 0) + 1
      removeDir(dir)
    }
    expect(missed).toEqual([])
    console.info(`audit tampering: ${TRIALS} found, by problem ${JSON.stringify(found)}`)
  })
})
