import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Storage } from '../store/openStore.ts'
import type { Repository } from '../store/types.ts'
import { SOURCE_NODE_FLAGS } from '../testing/sourceNode.ts'
import { makeTempDir, removeDir } from '../testing/tempStorage.ts'
import { dropTestStore, openTestStorage, runTestSql } from '../testing/testStore.ts'
import { AuditLog } from './AuditLog.ts'
import { AuditAction, memberSetEvent, signInFailedEvent } from './auditEvents.ts'
import { auditHash, canonicalJson, GENESIS_HASH } from './auditHash.ts'

const run = promisify(execFile)
const appender = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../testing/appendAuditEntries.ts',
)

describe('AuditLog', () => {
  let dir: string
  let storage: Storage
  let audit: AuditLog

  beforeEach(async () => {
    dir = makeTempDir()
    storage = await openTestStorage(dir)
    audit = new AuditLog(storage.repository)
  })
  afterEach(async () => {
    await storage.close()
    await dropTestStore(dir)
    removeDir(dir)
  })

  it('chains entries: the first follows 64 zeros, each next one the hash before it', async () => {
    const first = await audit.append(signInFailedEvent({ email: 'a@b.id', address: '10.0.0.1' }))
    const second = await audit.append({
      actorUserId: 'u1',
      action: AuditAction.SignIn,
      subject: 'user:u1',
      details: { z: 1, a: { y: [2, 1], b: null } },
    })
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH })
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash })
    // Details are stored with sorted keys, so equal details always hash the same.
    expect(second.details).toBe('{"a":{"b":null,"y":[2,1]},"z":1}')
    // The documented formula (auditHash.ts, docs/operations.md) is what is computed.
    const documented = createHash('sha256')
      .update(
        JSON.stringify([
          'kartu-audit-v1',
          2,
          second.at,
          'u1',
          'auth.sign_in',
          'user:u1',
          second.details,
          first.hash,
        ]),
      )
      .digest('hex')
    expect(second.hash).toBe(documented)
    expect(await storage.repository.getAuditHead()).toEqual({ seq: 2, hash: second.hash })
  })

  it('verifies an untampered chain of a few hundred entries', async () => {
    const started = performance.now()
    for (let i = 0; i < 300; i++) {
      await audit.append({
        actorUserId: i % 7 === 0 ? null : `user-${i % 5}`,
        action: i % 2 === 0 ? AuditAction.UpdateRefused : AuditAction.SignIn,
        subject: `card:${i % 13}`,
        details: { i, text: `naïve ${'é'.repeat(i % 4)} “quoted”`, nested: { list: [i, null] } },
      })
    }
    const appendMs = (performance.now() - started) / 300
    const verifyStarted = performance.now()
    const result = await audit.verify()
    const verifyMs = performance.now() - verifyStarted
    expect(result).toMatchObject({ ok: true, count: 300, head: { seq: 300 } })
    // Figures for the report, not assertions: each append is its own fsynced transaction.
    console.info(
      `audit: ${appendMs.toFixed(3)} ms per append, ${verifyMs.toFixed(1)} ms to verify 300`,
    )
  })

  it('verifies an empty log', async () => {
    expect(await audit.verify()).toEqual({ ok: true, count: 0, head: null })
  })

  it('refuses UPDATE and DELETE on entries through SQL', async () => {
    await audit.append(signInFailedEvent({ email: 'a@b.id', address: '10.0.0.1' }))
    await expect(runTestSql(dir, "UPDATE audit_log SET subject = 'x'")).rejects.toThrow(
      /append-only/,
    )
    await expect(runTestSql(dir, 'DELETE FROM audit_log')).rejects.toThrow(/append-only/)
    expect(await audit.verify()).toMatchObject({ ok: true, count: 1 })
  })

  it('records without waiting, in call order, and logs instead of throwing on failure', async () => {
    for (let i = 0; i < 5; i++) {
      audit.record({ actorUserId: 'u', action: AuditAction.UpdateRefused, subject: 'card:c' })
    }
    // Committed in the background: a turn of the event loop on SQLite, a round trip on
    // PostgreSQL.
    await vi.waitFor(async () =>
      expect((await audit.list()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]),
    )

    const errors: object[] = []
    const failing = { appendAudit: () => Promise.reject(new Error('disk full')) }
    const broken = new AuditLog(failing as unknown as Repository, {
      logger: { error: (obj) => errors.push(obj) },
    })
    expect(() =>
      broken.record({ actorUserId: 'u', action: AuditAction.UpdateRefused, subject: 'card:c' }),
    ).not.toThrow()
    await new Promise((resolve) => setImmediate(resolve))
    expect(errors).toHaveLength(1)
  })

  it('names a member change, and records nothing when the role is unchanged', () => {
    const base = { actorUserId: 'chair', deckId: 'd', userId: 'u', email: 'u@x.id' } as const
    expect(memberSetEvent({ ...base, role: 'editor', previousRole: null })).toMatchObject({
      action: AuditAction.MemberAdded,
      subject: 'deck:d',
      details: { userId: 'u', role: 'editor' },
    })
    expect(memberSetEvent({ ...base, role: 'viewer', previousRole: 'editor' })).toMatchObject({
      action: AuditAction.MemberRoleChanged,
      details: { role: 'viewer', previousRole: 'editor' },
    })
    expect(memberSetEvent({ ...base, role: 'editor', previousRole: 'editor' })).toBeNull()
  })

  it('keeps one chain when three processes append at the same time', async () => {
    await storage.close()
    const writers = ['w1', 'w2', 'w3']
    const startAt = String(Date.now() + 2000)
    await Promise.all(
      writers.map((writer) =>
        run(process.execPath, [...SOURCE_NODE_FLAGS, appender, dir, writer, '100', startAt]),
      ),
    )
    storage = await openTestStorage(dir)
    audit = new AuditLog(storage.repository)
    const result = await audit.verify()
    expect(result).toMatchObject({ ok: true, count: 300 })
    const entries = await audit.list(0, 1000)
    // Interleaved, not one writer after the other (otherwise this test proves nothing).
    const switches = entries.filter(
      (e, i) => i > 0 && e.actorUserId !== entries[i - 1]?.actorUserId,
    )
    expect(switches.length).toBeGreaterThan(20)
    console.info(`audit: 3 writers, 300 entries, ${switches.length} switches between writers`)
  })
})

describe('canonicalJson and auditHash', () => {
  it('sorts keys at every level and leaves arrays in order', () => {
    expect(canonicalJson({ b: [3, { d: 1, c: 2 }], a: 'x' })).toBe(
      '{"a":"x","b":[3,{"c":2,"d":1}]}',
    )
  })

  it('changes the hash when any field changes', () => {
    const entry = {
      seq: 4,
      at: 1_700_000_000_000,
      actorUserId: 'u',
      action: 'auth.sign_in',
      subject: 'user:u',
      details: '{}',
      prevHash: GENESIS_HASH,
    }
    const hash = auditHash(entry)
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    for (const change of [
      { seq: 5 },
      { at: entry.at + 1 },
      { actorUserId: null },
      { action: 'auth.sign_out' },
      { subject: 'user:v' },
      { details: '{"a":1}' },
      { prevHash: '1'.repeat(64) },
    ]) {
      expect(auditHash({ ...entry, ...change })).not.toBe(hash)
    }
  })
})
