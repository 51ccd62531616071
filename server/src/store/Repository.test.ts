/**
 * The repository's contract, run against every engine: SQLite in a temp folder, and PostgreSQL
 * in a schema of its own (skipped, with a loud warning from postgresForTests(), when PostgreSQL
 * does not answer; a failure under CI=true). Then what PostgreSQL alone makes different: several
 * nodes appending to one audit chain, BIGINT read back as numbers, its collations.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CardStatus, type Ministry, Role } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../audit/AuditLog.ts'
import { AuditAction } from '../audit/auditEvents.ts'
import { auditHash, GENESIS_HASH } from '../audit/auditHash.ts'
import { createTestSchema, postgresForTests, type TestSchema } from '../testing/testPostgres.ts'
import { migratePg, openPool, type PgPool } from './postgres/database.ts'
import { AUDIT_APPEND_LOCK, PgRepository } from './postgres/PgRepository.ts'
import { openDatabase } from './sqlite/openDatabase.ts'
import { SqliteRepository } from './sqlite/SqliteRepository.ts'
import type {
  ActivityRow,
  AuditHead,
  AuditRecord,
  EditRecord,
  NewCard,
  Repository,
  VersionRecord,
} from './types.ts'

const POSTGRES = await postgresForTests()

type SqlValue = string | number | null

/** A repository on a fresh, empty store, and a way to reach its tables behind its back. */
type OpenedStore = {
  repo: Repository
  /** Runs one statement (`?` placeholders) on the store's tables. */
  sql(statement: string, params?: readonly SqlValue[]): Promise<void>
  close(): Promise<void>
}

type Engine = { name: string; available: boolean; open(): Promise<OpenedStore> }

async function openSqlite(): Promise<OpenedStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-repository-'))
  const db = openDatabase(dir)
  return {
    repo: new SqliteRepository(db),
    async sql(statement, params = []) {
      db.prepare(statement).run(...params)
    },
    async close() {
      db.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A migrated schema of its own, and the pool onto it. */
async function openPgSchema(): Promise<{ schema: TestSchema; pool: PgPool }> {
  const schema = await createTestSchema()
  const pool = openPool(schema.url)
  try {
    await migratePg(pool)
  } catch (error) {
    await pool.end()
    await schema.drop()
    throw error
  }
  return { schema, pool }
}

/** `?` placeholders as PostgreSQL's $1, $2, … */
function numbered(statement: string): string {
  let index = 0
  return statement.replace(/\?/g, () => `$${++index}`)
}

async function openPostgres(): Promise<OpenedStore> {
  const { schema, pool } = await openPgSchema()
  return {
    repo: new PgRepository(pool),
    async sql(statement, params = []) {
      await pool.query(numbered(statement), [...params])
    },
    async close() {
      await pool.end()
      await schema.drop()
    },
  }
}

const ENGINES: Engine[] = [
  { name: 'sqlite', available: true, open: openSqlite },
  { name: 'postgres', available: POSTGRES, open: openPostgres },
]

const KP2MI: Ministry = {
  id: 'KP2MI',
  short: 'KP2MI',
  nameId: 'Kementerian Pelindungan Pekerja Migran Indonesia',
  nameEn: 'Ministry of Protection of Indonesian Migrant Workers',
  aliases: ['BP2MI'],
  color: '#b91c1c',
}
const KEMLU: Ministry = {
  id: 'KEMLU',
  short: 'Kemlu',
  nameId: 'Kementerian Luar Negeri',
  nameEn: 'Ministry of Foreign Affairs',
  aliases: [],
  color: '#1d4ed8',
}
const BAPPENAS: Ministry = { ...KEMLU, id: 'BAPPENAS', short: 'Bappenas', aliases: [] }

function newCard(id: string, position: number, ref: string, deckId = 'deck-1'): NewCard {
  return {
    id,
    deckId,
    ref,
    cluster: 'C1',
    questionRef: 'para. 1(a)',
    question: `Question ${ref}`,
    questionId: `Pertanyaan ${ref}`,
    articles: ['1', '7'],
    leadMinistry: 'KP2MI',
    contributingMinistries: ['KEMLU'],
    status: CardStatus.Draft,
    timeBudgetSec: 120,
    position,
    extra: { sources: ['BPS 2023'] },
  }
}

function edit(cardId: string, userId: string, at: number, insertedChars = 1): EditRecord {
  return {
    cardId,
    at,
    userId,
    inserted: { '7': [[0, insertedChars]] },
    deleted: {},
    counts: { insertedChars, deletedChars: 0, suggestions: 0, comments: 0 },
  }
}

function version(
  id: string,
  cardId: string,
  createdAt: number,
  kind: VersionRecord['kind'] = 'auto',
  createdBy: string | null = null,
): VersionRecord {
  return {
    id,
    cardId,
    kind,
    name: kind === 'session' ? `Rakor ${id}` : null,
    createdAt,
    createdBy,
    words: 3,
    state: new Uint8Array([1, 2, 3, id.length]),
    snapshot: new Uint8Array([9, id.length]),
  }
}

/** A seal that appends one entry from whatever head it is given, as AuditLog's does. */
function sealOne(actor: string): (head: AuditHead | null) => AuditRecord[] {
  return (head) => {
    const unsealed = {
      seq: (head?.seq ?? 0) + 1,
      at: 1000,
      actorUserId: actor,
      action: AuditAction.UpdateRefused,
      subject: `card:${actor}`,
      details: '{}',
      prevHash: head?.hash ?? GENESIS_HASH,
    }
    return [{ ...unsealed, hash: auditHash(unsealed) }]
  }
}

/** The chain runs 1..n, each entry carrying the hash of the one before. */
function expectOneChain(entries: readonly AuditRecord[]): void {
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, index) => index + 1))
  entries.forEach((entry, index) => {
    expect(entry.prevHash).toBe(index === 0 ? GENESIS_HASH : entries[index - 1]?.hash)
  })
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`Repository on ${engine.name}`, () => {
    let store: OpenedStore
    let repo: Repository

    beforeEach(async () => {
      store = await engine.open()
      repo = store.repo
      for (const ministry of [KP2MI, KEMLU, BAPPENAS]) await repo.upsertMinistry(ministry)
    })

    afterEach(async () => {
      await store.close()
    })

    async function addUser(id: string, name: string, ministryId = 'KP2MI'): Promise<void> {
      await repo.createUser({ id, email: `${id}@kartu.test`, name, ministryId, passwordHash: null })
    }

    async function addDeck(id = 'deck-1'): Promise<void> {
      await repo.createDeck({
        id,
        title: 'Dialog CMW',
        titleEn: 'CMW dialogue',
        committee: 'CMW',
        stateParty: 'Indonesia',
        clusters: [{ id: 'C1', nameId: 'Umum', nameEn: 'General' }],
        ministryIds: ['KP2MI', 'KEMLU'],
      })
    }

    it('upserts ministries, and lists them by id byte by byte', async () => {
      await repo.upsertMinistry({ ...KEMLU, color: '#000000', aliases: ['Deplu'] })
      await repo.upsertMinistry({ ...KEMLU, id: 'kemenkes' })
      const ministries = await repo.listMinistries()
      // Capitals first: SQLite's BINARY order, not a dictionary's.
      expect(ministries.map((m) => m.id)).toEqual(['BAPPENAS', 'KEMLU', 'KP2MI', 'kemenkes'])
      expect(ministries.find((m) => m.id === 'KEMLU')).toEqual({
        ...KEMLU,
        color: '#000000',
        aliases: ['Deplu'],
      })
    })

    it('creates users, finds them by email and id, and sets a password', async () => {
      await addUser('u1', 'Ayu')
      expect(await repo.findUserByEmail('u1@kartu.test')).toEqual({
        id: 'u1',
        email: 'u1@kartu.test',
        name: 'Ayu',
        ministryId: 'KP2MI',
        passwordHash: null,
        disabledAt: null,
      })
      await repo.setPassword('u1', '$argon2id$hash')
      expect((await repo.findUserById('u1'))?.passwordHash).toBe('$argon2id$hash')
      expect(await repo.findUserById('nobody')).toBeNull()
      expect(await repo.findUserByEmail('nobody@kartu.test')).toBeNull()
      await expect(addUser('u1', 'Twice')).rejects.toThrow(/unique/i)
    })

    it('disables and enables accounts, and finds several by email, in email order', async () => {
      await addUser('u2', 'Budi')
      await addUser('u1', 'Ayu')
      await addUser('u3', 'Citra')
      await repo.setUserDisabled('u1', 4242)
      expect((await repo.findUserById('u1'))?.disabledAt).toBe(4242)
      expect((await repo.findUserById('u2'))?.disabledAt).toBeNull()
      const found = await repo.findUsersByEmail([
        'u3@kartu.test',
        'u1@kartu.test',
        'x@kartu.test',
        'u2@kartu.test',
        'u1@kartu.test',
      ])
      expect(found.map((u) => [u.id, u.disabledAt])).toEqual([
        ['u1', 4242],
        ['u2', null],
        ['u3', null],
      ])
      expect(await repo.findUsersByEmail([])).toEqual([])
      // Lists of 300 lengths: as many differently built statements, past what SQLite's
      // repository keeps prepared; the answers stay right while the oldest are let go.
      for (let length = 1; length <= 300; length++) {
        const emails = Array.from({ length }, (_, i) => `nobody${i}@kartu.test`)
        emails.push('u2@kartu.test')
        expect((await repo.findUsersByEmail(emails)).map((u) => u.id)).toEqual(['u2'])
      }
      expect((await repo.findUsersByEmail(['u3@kartu.test'])).map((u) => u.id)).toEqual(['u3'])
      await repo.setUserDisabled('u1', null)
      expect((await repo.findUserById('u1'))?.disabledAt).toBeNull()
    })

    it('ends every session of a person, or every one but the one kept', async () => {
      await addUser('u1', 'Ayu')
      await addUser('u2', 'Budi')
      const session = (userId: string) => ({ userId, createdAt: 1, lastSeenAt: 1, expiresAt: 9 })
      for (const hash of ['a', 'b', 'c']) await repo.createSession(hash, session('u1'))
      await repo.createSession('other', session('u2'))
      expect(await repo.deleteSessionsOf('u1', 'b')).toBe(2)
      expect(await repo.findSession('a')).toBeNull()
      expect(await repo.findSession('b')).not.toBeNull()
      expect(await repo.deleteSessionsOf('u1')).toBe(1)
      expect(await repo.findSession('b')).toBeNull()
      expect(await repo.findSession('other')).not.toBeNull()
      expect(await repo.deleteSessionsOf('u1')).toBe(0)
    })

    it('creates, finds, touches and deletes sessions', async () => {
      await addUser('u1', 'Ayu')
      await repo.createSession('hash-1', {
        userId: 'u1',
        createdAt: 1000,
        lastSeenAt: 1000,
        expiresAt: 9000,
      })
      await repo.touchSession('hash-1', 2500)
      expect(await repo.findSession('hash-1')).toEqual({
        userId: 'u1',
        createdAt: 1000,
        lastSeenAt: 2500,
        expiresAt: 9000,
      })
      await repo.deleteSession('hash-1')
      expect(await repo.findSession('hash-1')).toBeNull()
    })

    it('stores tokens with their expiry and revocation, and lists them per user', async () => {
      await addUser('u1', 'Ayu')
      const base = { userId: 'u1', createdAt: 1000, expiresAt: 5000 }
      await repo.createToken({ ...base, id: 't1', tokenHash: 'th-1', label: 'cli' })
      await repo.createToken({ ...base, id: 't2', tokenHash: 'th-2', label: 'ci', createdAt: 2000 })
      await repo.createToken({
        ...base,
        id: 't0',
        tokenHash: 'th-0',
        label: 'old',
        createdAt: 2000,
      })
      const t1 = { id: 't1', userId: 'u1', label: 'cli', createdAt: 1000, expiresAt: 5000 }
      expect(await repo.findToken('th-1')).toEqual({ ...t1, revokedAt: null })
      expect(await repo.revokeToken('t1', 3000)).toEqual({ ...t1, revokedAt: 3000 })
      // A second revocation keeps the first time.
      expect(await repo.revokeToken('t1', 4000)).toEqual({ ...t1, revokedAt: 3000 })
      expect(await repo.findToken('th-1')).toEqual({ ...t1, revokedAt: 3000 })
      expect(await repo.findToken('th-2')).toMatchObject({ id: 't2', revokedAt: null })
      expect(await repo.findToken('unknown')).toBeNull()
      expect(await repo.revokeToken('unknown', 3000)).toBeNull()
      expect((await repo.listTokens('u1')).map((t) => t.id)).toEqual(['t1', 't0', 't2'])
      expect(await repo.listTokens('nobody')).toEqual([])
    })

    it('returns a deck with its clusters and its ministries only', async () => {
      await addDeck()
      const deck = await repo.getDeck('deck-1')
      expect(deck).toMatchObject({
        id: 'deck-1',
        title: 'Dialog CMW',
        titleEn: 'CMW dialogue',
        committee: 'CMW',
        stateParty: 'Indonesia',
        clusters: [{ id: 'C1', nameId: 'Umum', nameEn: 'General' }],
        suggestOnly: false,
      })
      // In the deck's own order, not the ministries'.
      expect(deck?.ministries).toEqual([KP2MI, KEMLU])
      expect(Number.isNaN(Date.parse(deck?.createdAt ?? ''))).toBe(false)
      expect(await repo.getDeck('deck-2')).toBeNull()
    })

    it("turns a deck's suggest-only switch on and off", async () => {
      await addDeck()
      expect(await repo.setDeckSuggestOnly('deck-1', true)).toBe(true)
      expect((await repo.getDeck('deck-1'))?.suggestOnly).toBe(true)
      expect(await repo.setDeckSuggestOnly('deck-1', false)).toBe(true)
      expect((await repo.getDeck('deck-1'))?.suggestOnly).toBe(false)
      expect(await repo.setDeckSuggestOnly('missing', true)).toBe(false)
    })

    it('lists cards by position, then ref byte by byte', async () => {
      await addDeck()
      await repo.createCard(newCard('c-late', 2, 'CC-03'))
      await repo.createCard(newCard('c-b', 1, 'CC-02b'))
      await repo.createCard(newCard('c-first', 0, 'CC-01'))
      await repo.createCard(newCard('c-a', 1, 'CC-02a'))
      await repo.createCard(newCard('c-upper', 1, 'CC-02B'))
      const cards = await repo.listCards('deck-1')
      expect(cards.map((c) => c.id)).toEqual(['c-first', 'c-upper', 'c-a', 'c-b', 'c-late'])
      expect(cards[0]).toMatchObject({
        deckId: 'deck-1',
        articles: ['1', '7'],
        contributingMinistries: ['KEMLU'],
        status: 'draft',
        wordCount: 0,
        openSuggestions: 0,
        openThreads: 0,
        mentionedMinistries: [],
        locked: false,
        suggestOnly: false,
        dueDate: null,
        clearances: [],
      })
      expect(await repo.listCards('deck-2')).toEqual([])
    })

    it('patches only the given card fields, and sets the word count', async () => {
      await addDeck()
      await repo.createCard(newCard('c1', 0, 'CC-01'))
      const before = await repo.getCard('c1')
      const updated = await repo.updateCard('c1', {
        status: CardStatus.InReview,
        articles: ['9'],
        question: undefined,
      })
      expect(updated).toEqual({
        ...before,
        status: 'in_review',
        articles: ['9'],
        updatedAt: updated?.updatedAt,
      })
      expect(Date.parse(updated?.updatedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(before?.updatedAt ?? ''),
      )
      expect(await repo.updateCard('c1', {})).toEqual(updated)
      await repo.setCardStats('c1', {
        wordCount: 42,
        openSuggestions: 3,
        openThreads: 2,
        mentionedMinistries: ['KP2MI'],
      })
      expect(await repo.getCard('c1')).toMatchObject({
        wordCount: 42,
        openSuggestions: 3,
        openThreads: 2,
        mentionedMinistries: ['KP2MI'],
      })
      expect(await repo.updateCard('missing', { position: 3 })).toBeNull()
    })

    it("stores a card's switches and due date, and several cards' figures in one call", async () => {
      await addDeck()
      await repo.createCard(newCard('c1', 0, 'CC-01'))
      await repo.createCard(newCard('c2', 1, 'CC-02'))
      expect(
        await repo.updateCard('c1', { locked: true, suggestOnly: true, dueDate: '2025-03-31' }),
      ).toMatchObject({ locked: true, suggestOnly: true, dueDate: '2025-03-31' })
      expect(await repo.updateCard('c1', { locked: false, dueDate: null })).toMatchObject({
        locked: false,
        suggestOnly: true,
        dueDate: null,
      })
      const stats = (wordCount: number) => ({
        wordCount,
        openSuggestions: 0,
        openThreads: 0,
        mentionedMinistries: [],
      })
      await repo.setManyCardStats([
        { cardId: 'c1', stats: stats(10) },
        { cardId: 'c2', stats: stats(20) },
        // Named twice: the last figures stay.
        { cardId: 'c1', stats: stats(11) },
        { cardId: 'missing', stats: stats(30) },
      ])
      expect((await repo.listCards('deck-1')).map((c) => c.wordCount)).toEqual([11, 20])
      await repo.setManyCardStats([])
    })

    it('reads cards with their clearances, oldest first, current while the text is the same', async () => {
      await addDeck()
      await addUser('u1', 'Ayu')
      await repo.createCard(newCard('c1', 0, 'CC-01'))
      await repo.createCard(newCard('c2', 1, 'CC-02'))
      await store.sql("UPDATE cards SET answer_hash = 'h-now' WHERE id = 'c1'")
      const clear = 'INSERT INTO card_clearances VALUES (?, ?, ?, ?, ?, ?)'
      await store.sql(clear, ['c1', 'KP2MI', 'u1', 200, 'h-now', 'v1'])
      await store.sql(clear, ['c1', 'KEMLU', 'ghost', 100, 'h-old', 'v0'])
      await store.sql(clear, ['c1', 'BAPPENAS', 'u1', 200, 'h-old', 'v2'])
      // c2 has no agreed-text hash yet: nothing of it is current.
      await store.sql(clear, ['c2', 'KP2MI', 'u1', 100, 'h-any', 'v3'])
      const expected = [
        {
          ministryId: 'KEMLU',
          userId: 'ghost',
          name: '',
          at: 100,
          current: false,
          versionId: 'v0',
        },
        // The same time: by ministry.
        {
          ministryId: 'BAPPENAS',
          userId: 'u1',
          name: 'Ayu',
          at: 200,
          current: false,
          versionId: 'v2',
        },
        { ministryId: 'KP2MI', userId: 'u1', name: 'Ayu', at: 200, current: true, versionId: 'v1' },
      ]
      expect((await repo.getCard('c1'))?.clearances).toEqual(expected)
      const cards = await repo.listCards('deck-1')
      expect(cards.map((c) => c.clearances)).toEqual([
        expected,
        [
          {
            ministryId: 'KP2MI',
            userId: 'u1',
            name: 'Ayu',
            at: 100,
            current: false,
            versionId: 'v3',
          },
        ],
      ])
    })

    it('upserts, lists and removes memberships', async () => {
      await addDeck()
      await addUser('u-zed', 'Zainal')
      await addUser('u-ayu', 'Ayu')
      await repo.setMember('deck-1', 'u-zed', Role.Viewer)
      await repo.setMember('deck-1', 'u-ayu', Role.Editor)
      await repo.setMember('deck-1', 'u-zed', Role.Chair)

      expect(await repo.getRole('deck-1', 'u-zed')).toBe('chair')
      expect(await repo.listMembers('deck-1')).toEqual([
        {
          userId: 'u-ayu',
          email: 'u-ayu@kartu.test',
          name: 'Ayu',
          ministryId: 'KP2MI',
          role: 'editor',
        },
        {
          userId: 'u-zed',
          email: 'u-zed@kartu.test',
          name: 'Zainal',
          ministryId: 'KP2MI',
          role: 'chair',
        },
      ])
      expect(await repo.listDecksOf('u-zed')).toEqual([
        { id: 'deck-1', title: 'Dialog CMW', role: 'chair' },
      ])

      expect(await repo.removeMember('deck-1', 'u-zed')).toBe(true)
      expect(await repo.removeMember('deck-1', 'u-zed')).toBe(false)
      expect(await repo.getRole('deck-1', 'u-zed')).toBeNull()
      expect((await repo.listMembers('deck-1')).map((m) => m.userId)).toEqual(['u-ayu'])
      expect(await repo.listDecksOf('u-zed')).toEqual([])
    })

    it('lists members by name byte by byte, namesakes by id; decks oldest first', async () => {
      await addDeck('deck-1')
      await addDeck('deck-0')
      await store.sql("UPDATE decks SET created_at = 5 WHERE id = 'deck-1'")
      await store.sql("UPDATE decks SET created_at = 9 WHERE id = 'deck-0'")
      for (const [id, name] of [
        ['u-sari-2', 'Sari'],
        ['u-ayu', 'ayu'],
        ['u-sari-1', 'Sari'],
        ['u-zed', 'Zainal'],
      ] as const) {
        await addUser(id, name)
        await repo.setMember('deck-1', id, Role.Editor)
      }
      await repo.setMember('deck-0', 'u-ayu', Role.Viewer)
      expect((await repo.listMembers('deck-1')).map((m) => m.userId)).toEqual([
        'u-sari-1',
        'u-sari-2',
        'u-zed',
        'u-ayu',
      ])
      expect(await repo.listDecksOf('u-ayu')).toEqual([
        { id: 'deck-1', title: 'Dialog CMW', role: 'editor' },
        { id: 'deck-0', title: 'Dialog CMW', role: 'viewer' },
      ])
    })

    it('refuses a membership for a user that does not exist (foreign keys are on)', async () => {
      await addDeck()
      await expect(repo.setMember('deck-1', 'ghost', Role.Editor)).rejects.toThrow(/foreign key/i)
    })

    it('appends to the audit chain from its head, and lists it in pages', async () => {
      expect(await repo.getAuditHead()).toBeNull()
      const log = new AuditLog(repo, { now: () => 1234 })
      const first = await log.append({
        actorUserId: 'u1',
        action: AuditAction.CardUpdated,
        subject: 'x',
      })
      const [second, third] = await Promise.all([
        log.append({
          actorUserId: null,
          action: AuditAction.LockChanged,
          subject: 'y',
          details: { b: 1, a: 2 },
        }),
        log.append({ actorUserId: 'u2', action: AuditAction.UpdateRefused, subject: 'z' }),
      ])
      expect([first.seq, second?.seq, third?.seq]).toEqual([1, 2, 3])
      const entries = await repo.listAudit(0, 100)
      expectOneChain(entries)
      expect(entries[1]).toEqual({
        seq: 2,
        at: 1234,
        actorUserId: null,
        action: AuditAction.LockChanged,
        subject: 'y',
        details: '{"a":2,"b":1}',
        prevHash: first.hash,
        hash: second?.hash,
      })
      expect(await repo.getAuditHead()).toEqual({ seq: 3, hash: third?.hash })
      expect((await repo.listAudit(1, 1)).map((e) => e.seq)).toEqual([2])
      expect(await repo.listAudit(3, 10)).toEqual([])
      expect(await log.verify()).toEqual({
        ok: true,
        count: 3,
        head: { seq: 3, hash: third?.hash },
      })
    })

    it('writes nothing when a seal does not continue the head, or seals nothing', async () => {
      await repo.appendAudit(sealOne('a'))
      const head = await repo.getAuditHead()
      await expect(
        repo.appendAudit((h) => sealOne('b')(h).map((e) => ({ ...e, seq: e.seq + 1 }))),
      ).rejects.toThrow('audit entry 3 does not follow the head 1')
      await expect(
        repo.appendAudit((h) => {
          const [entry] = sealOne('c')(h)
          if (!entry) throw new Error('no entry')
          return [entry, { ...entry, seq: 4 }]
        }),
      ).rejects.toThrow('audit entry 4 does not follow the head 2')
      await expect(
        repo.appendAudit(() => {
          throw new Error('the seal failed')
        }),
      ).rejects.toThrow('the seal failed')
      expect(await repo.appendAudit(() => [])).toEqual([])
      expect(await repo.getAuditHead()).toEqual(head)
      expect((await repo.listAudit(0, 10)).map((e) => e.seq)).toEqual([1])
    })

    it('keeps the audit log append-only', async () => {
      await repo.appendAudit(sealOne('a'))
      await expect(store.sql("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/)
      await expect(store.sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/)
      expect(await repo.listAudit(0, 10)).toHaveLength(1)
    })

    it("lists a deck's closed rakor sessions from the audit log, oldest first", async () => {
      const log = new AuditLog(repo, { now: () => 500 })
      const closed = (subject: string, details: Record<string, string> = {}) =>
        log.append({ actorUserId: 'chair', action: AuditAction.SessionClosed, subject, details })
      await closed('deck:deck-1', { name: 'Rakor 1' })
      await closed('deck:deck-2', { name: 'Elsewhere' })
      await log.append({
        actorUserId: 'u',
        action: AuditAction.CardUpdated,
        subject: 'deck:deck-1',
      })
      await closed('deck:deck-1')
      expect(await repo.listSessions('deck-1')).toEqual([
        { seq: 1, name: 'Rakor 1', at: 500, closedBy: 'chair' },
        { seq: 4, name: '', at: 500, closedBy: 'chair' },
      ])
      expect(await repo.listSessions('deck-3')).toEqual([])
    })

    it('lists versions newest first, the later of one millisecond first, and reads one whole', async () => {
      await addDeck()
      await repo.createCard(newCard('c1', 0, 'CC-01'))
      await repo.createCard(newCard('c2', 1, 'CC-02'))
      expect(await repo.latestVersion('c1')).toBeNull()
      // Added in an order that is neither the ids' nor their reverse.
      await repo.addVersion(version('v-2', 'c1', 100))
      await repo.addVersion(version('v-3', 'c1', 100, 'session'))
      await repo.addVersion(version('v-1', 'c1', 100, 'named', 'u1'))
      await repo.addVersion(version('v-old', 'c1', 50, 'session'))
      await repo.addVersion(version('v-other', 'c2', 300))
      expect((await repo.listVersions('c1')).map((v) => v.id)).toEqual([
        'v-1',
        'v-3',
        'v-2',
        'v-old',
      ])
      expect((await repo.listVersions('c1'))[0]).toEqual({
        id: 'v-1',
        cardId: 'c1',
        kind: 'named',
        name: null,
        createdAt: 100,
        createdBy: 'u1',
        words: 3,
      })
      const latest = await repo.latestVersion('c1')
      expect(latest).toEqual({ id: 'v-1', snapshot: new Uint8Array([9, 3]) })
      expect(latest?.snapshot).toBeInstanceOf(Uint8Array)
      const whole = await repo.getVersion('c1', 'v-old')
      expect(whole).toEqual(version('v-old', 'c1', 50, 'session'))
      expect(whole?.state).toBeInstanceOf(Uint8Array)
      expect(await repo.getVersion('c2', 'v-old')).toBeNull()
      expect(await repo.versionBytes('c1')).toBe(16)
      expect(await repo.versionBytes('nothing')).toBe(0)
      expect(await repo.lastSessionAt('deck-1')).toBe(100)
      expect(await repo.lastSessionAt('deck-2')).toBeNull()

      await repo.deleteVersions('c1', ['v-3', 'v-other'])
      await repo.deleteVersions('c1', [])
      expect((await repo.listVersions('c1')).map((v) => v.id)).toEqual(['v-1', 'v-2', 'v-old'])
      expect((await repo.listVersions('c2')).map((v) => v.id)).toEqual(['v-other'])
      expect(await repo.lastSessionAt('deck-1')).toBe(50)
    })

    it('writes edits, rewrites one by its row, and lists them oldest first', async () => {
      await addDeck()
      await repo.createCard(newCard('c1', 1, 'CC-01'))
      await repo.createCard(newCard('c0', 0, 'CC-00'))
      await repo.createCard(newCard('c2', 2, 'CC-02'))
      const [a, b] = await repo.writeEdits([
        { seq: null, edit: edit('c1', 'u2', 100) },
        { seq: null, edit: edit('c1', 'u1', 100) },
      ])
      expect(typeof a).toBe('number')
      expect(b).toBeGreaterThan(a ?? Number.POSITIVE_INFINITY)
      const grown: EditRecord = { ...edit('c1', 'u2', 100, 5), deleted: { '8': [[1, 2]] } }
      expect(await repo.writeEdits([{ seq: a ?? null, edit: grown }])).toEqual([a])
      // A row that is gone is written anew.
      const [c] = await repo.writeEdits([{ seq: 999_999, edit: edit('c0', 'u3', 90) }])
      expect(c).toBeGreaterThan(b ?? Number.POSITIVE_INFINITY)
      await repo.writeEdits([{ seq: null, edit: edit('c1', 'u3', 150) }])
      expect(await repo.writeEdits([])).toEqual([])

      expect(await repo.listEdits('c1', 100, 150)).toEqual([
        grown,
        edit('c1', 'u1', 100),
        edit('c1', 'u3', 150),
      ])
      expect(await repo.listEdits('c1', 101, 149)).toEqual([])
      expect(await repo.cardsEditedSince('deck-1', 80)).toEqual(['c0', 'c1'])
      expect(await repo.cardsEditedSince('deck-1', 100)).toEqual(['c1'])
      expect(await repo.cardsEditedSince('deck-2', 0)).toEqual([])
    })

    it('writes a batch of new rows, rewrites and a gone row as statement after statement would', async () => {
      await addDeck()
      await repo.createCard(newCard('c1', 0, 'CC-01'))
      await repo.createCard(newCard('c2', 1, 'CC-02'))
      const [a, b] = await repo.writeEdits([
        { seq: null, edit: edit('c1', 'u1', 100) },
        { seq: null, edit: edit('c2', 'u2', 100) },
      ])
      const first = edit('c1', 'u1', 100, 2)
      const second = edit('c1', 'u1', 100, 3)
      const seqs = await repo.writeEdits([
        { seq: null, edit: edit('c2', 'u3', 120) },
        { seq: a ?? null, edit: first },
        { seq: 999_999, edit: edit('c1', 'u4', 130) },
        { seq: null, edit: edit('c1', 'u5', 140) },
        // The same row again: its last write stays.
        { seq: a ?? null, edit: second },
      ])
      expect(seqs[1]).toBe(a)
      expect(seqs[4]).toBe(a)
      // New rows (and the gone one written anew) in the batch's order, after the earlier ones.
      const fresh = [seqs[0], seqs[2], seqs[3]] as number[]
      expect(fresh[0]).toBeGreaterThan(b as number)
      expect([...fresh].sort((x, y) => x - y)).toEqual(fresh)
      expect(new Set(fresh).size).toBe(3)
      expect(await repo.listEdits('c1', 0, 1000)).toEqual([
        second,
        edit('c1', 'u4', 130),
        edit('c1', 'u5', 140),
      ])
      expect(await repo.listEdits('c2', 0, 1000)).toEqual([
        edit('c2', 'u2', 100),
        edit('c2', 'u3', 120),
      ])
    })

    it('records visits (only ever later ones) and counts the others’ edits since', async () => {
      await addDeck()
      await repo.createCard(newCard('c2', 0, 'CC-02'))
      await repo.createCard(newCard('c1', 1, 'CC-01'))
      await repo.recordVisits([
        { userId: 'u1', cardId: 'c2', at: 100, versionId: 'v-a' },
        { userId: 'u1', cardId: 'c1', at: 100, versionId: 'v-a' },
      ])
      await repo.recordVisits([{ userId: 'u1', cardId: 'c1', at: 50, versionId: 'v-old' }])
      await repo.recordVisits([
        { userId: 'u1', cardId: 'c1', at: 300, versionId: 'v-c' },
        { userId: 'u1', cardId: 'c1', at: 200, versionId: 'v-b' },
        { userId: 'u2', cardId: 'c1', at: 250, versionId: 'v-b' },
      ])
      await repo.recordVisits([])
      expect(await repo.getVisit('u1', 'c1')).toEqual({
        userId: 'u1',
        cardId: 'c1',
        at: 300,
        versionId: 'v-c',
      })
      expect(await repo.getVisit('u1', 'missing')).toBeNull()
      await repo.writeEdits([
        { seq: null, edit: edit('c1', 'u2', 301) },
        { seq: null, edit: edit('c1', 'u3', 400) },
        { seq: null, edit: edit('c1', 'u1', 500) },
        { seq: null, edit: edit('c2', 'u2', 90) },
      ])
      // By card id, whatever order the cards or visits came in.
      expect(await repo.visitsOfDeck('u1', 'deck-1')).toEqual([
        { cardId: 'c1', visitedAt: 300, changes: 2 },
        { cardId: 'c2', visitedAt: 100, changes: 0 },
      ])
      expect(await repo.visitsOfDeck('u1', 'deck-2')).toEqual([])
      expect([...(await repo.visitedVersionIds('c1'))].sort()).toEqual(['v-b', 'v-c'])
      expect(await repo.usersActiveInDeck('deck-1', 250, 400)).toEqual(['u1', 'u2', 'u3'])
      expect(await repo.usersActiveInDeck('deck-1', 401, 499)).toEqual([])
    })

    it("lists a deck's activity newest first, ties read as SQLite reads them, cut at the limit", async () => {
      await addDeck()
      for (const [id, ministry] of [
        ['u1', 'KEMLU'],
        ['u2', 'KP2MI'],
        ['u3', 'KEMLU'],
        ['u4', 'KP2MI'],
        ['u5', 'KP2MI'],
      ] as const) {
        await addUser(id, id, ministry)
      }
      await repo.createCard(newCard('c1', 0, 'CC-01'))
      await repo.createCard(newCard('c3', 0, 'CC-03'))
      await repo.createCard(newCard('c9', 1, 'CC-09'))
      const tied = [
        ['c9', 'u1'],
        ['c1', 'u2'],
        ['c9', 'u3'],
        ['c3', 'u4'],
        ['c1', 'u5'],
      ] as const
      await repo.writeEdits(
        tied.map(([card, user]) => ({ seq: null, edit: edit(card, user, 100) })),
      )
      await repo.writeEdits([
        { seq: null, edit: edit('c3', 'u1', 200) },
        { seq: null, edit: edit('c1', 'u2', 50) },
      ])
      const log = new AuditLog(repo, { now: () => 100 })
      for (const [card, user] of tied) {
        await log.append({
          actorUserId: user,
          action: AuditAction.LockChanged,
          subject: `card:${card}`,
          details: { locked: true },
        })
      }
      await log.append({ actorUserId: 'u1', action: AuditAction.UpdateRefused, subject: 'card:c1' })
      for (const [index, [card, user]] of tied.entries()) {
        await repo.addVersion(version(`v-${9 - index}`, card, 100, 'session', user))
      }
      await repo.addVersion(version('v-auto', 'c1', 100, 'auto', 'u1'))

      const query = {
        deckId: 'deck-1',
        cardId: null,
        ministryId: null,
        after: 60,
        actions: [AuditAction.LockChanged],
        limit: 100,
      }
      const of = (rows: ActivityRow[], source: ActivityRow['source']) =>
        rows.filter((row) => row.source === source).map((row) => `${row.cardId}/${row.userId}`)
      const deckOrder = ['c1/u2', 'c1/u5', 'c3/u4', 'c9/u1', 'c9/u3']

      const deck = await repo.listActivity(query)
      expect(of(deck, 'edit')).toEqual(['c3/u1', ...deckOrder])
      expect(of(deck, 'audit')).toEqual(deckOrder)
      expect(of(deck, 'version')).toEqual(deckOrder)
      expect(deck.find((row) => row.source === 'edit')).toEqual({
        source: 'edit',
        cardId: 'c3',
        at: 200,
        userId: 'u1',
        counts: { insertedChars: 1, deletedChars: 0, suggestions: 0, comments: 0 },
      })
      expect(deck.find((row) => row.source === 'audit')).toEqual({
        source: 'audit',
        cardId: 'c1',
        at: 100,
        userId: 'u2',
        action: AuditAction.LockChanged,
        details: { locked: true },
      })
      expect(deck.find((row) => row.source === 'version')).toEqual({
        source: 'version',
        cardId: 'c1',
        at: 100,
        userId: 'u2',
        kind: 'session',
        name: 'Rakor v-8',
      })

      const cut = await repo.listActivity({ ...query, limit: 3 })
      expect(of(cut, 'edit')).toEqual(['c3/u1', 'c1/u2', 'c1/u5'])
      expect(of(cut, 'audit')).toEqual(deckOrder.slice(0, 3))
      expect(of(cut, 'version')).toEqual(deckOrder.slice(0, 3))

      const card = await repo.listActivity({ ...query, cardId: 'c9' })
      expect(of(card, 'edit')).toEqual(['c9/u3', 'c9/u1'])
      expect(of(card, 'audit')).toEqual(['c9/u1', 'c9/u3'])
      expect(of(card, 'version')).toEqual(['c9/u3', 'c9/u1'])
      const cardCut = await repo.listActivity({ ...query, cardId: 'c9', limit: 1 })
      expect(cardCut.map((row) => `${row.source}:${row.userId}`)).toEqual([
        'edit:u3',
        'audit:u1',
        'version:u3',
      ])

      const kemlu = await repo.listActivity({ ...query, ministryId: 'KEMLU' })
      expect(of(kemlu, 'edit')).toEqual(['c3/u1', 'c9/u1', 'c9/u3'])
      expect(of(kemlu, 'audit')).toEqual(['c9/u1', 'c9/u3'])
      const kemluCard = await repo.listActivity({ ...query, ministryId: 'KEMLU', cardId: 'c9' })
      expect(of(kemluCard, 'version')).toEqual(['c9/u3', 'c9/u1'])

      const noActions = await repo.listActivity({ ...query, actions: [] })
      expect(of(noActions, 'audit')).toEqual([])
      expect(of(noActions, 'edit')).toHaveLength(6)
      const later = await repo.listActivity({ ...query, after: 100 })
      expect(later.map((row) => `${row.source}:${row.cardId}`)).toEqual(['edit:c3'])
    })
  })
}

describe.skipIf(!POSTGRES)('PgRepository on PostgreSQL only', () => {
  let schema: TestSchema
  let pools: PgPool[]

  beforeEach(async () => {
    const opened = await openPgSchema()
    schema = opened.schema
    pools = [opened.pool]
  })

  afterEach(async () => {
    for (const pool of pools) await pool.end()
    await schema.drop()
  })

  /** Another Kartu node on the same database: a pool of its own, with `settings` if given. */
  function anotherNode(settings: Record<string, string> = {}): PgRepository {
    const url = new URL(schema.url)
    const options = Object.entries(settings).map(([name, value]) => ` -c ${name}=${value}`)
    url.searchParams.set('options', `${url.searchParams.get('options') ?? ''}${options.join('')}`)
    const pool = openPool(url.toString())
    pools.push(pool)
    return new PgRepository(pool)
  }

  /** Appends from three writers per node at once; the entries, each writer's in its order. */
  async function appendConcurrently(nodes: readonly PgRepository[]): Promise<AuditRecord[]> {
    const PER_WRITER = 15
    // Each writer batches on its own, so that transactions of both nodes are in flight together
    // from the very first (headless) append on.
    const writers = nodes.flatMap((repo, node) =>
      [0, 1, 2].map((writer) => ({ log: new AuditLog(repo), actor: `node-${node}/${writer}` })),
    )
    await Promise.all(
      writers.map(async ({ log, actor }) => {
        for (let i = 0; i < PER_WRITER; i++) {
          await log.append({
            actorUserId: actor,
            action: AuditAction.UpdateRefused,
            subject: 'x',
            details: { i },
          })
        }
      }),
    )
    const entries = (await nodes[0]?.listAudit(0, 1000)) ?? []
    expect(entries).toHaveLength(writers.length * PER_WRITER)
    for (const { actor } of writers) {
      const own = entries.filter((e) => e.actorUserId === actor)
      expect(own.map((e) => JSON.parse(e.details))).toEqual(
        Array.from({ length: PER_WRITER }, (_, i) => ({ i })),
      )
    }
    return entries
  }

  function firstPool(): PgPool {
    const [pool] = pools
    if (!pool) throw new Error('no pool')
    return pool
  }

  it('keeps one audit chain while two nodes append at once', async () => {
    const nodes = [new PgRepository(firstPool()), anotherNode()]
    const entries = await appendConcurrently(nodes)
    expectOneChain(entries)
    expect(await new AuditLog(nodes[1] as PgRepository).verify()).toEqual({
      ok: true,
      count: entries.length,
      head: { seq: entries.length, hash: entries.at(-1)?.hash },
    })
  })

  it('keeps one audit chain where transactions are SERIALIZABLE by default', async () => {
    const strict = { default_transaction_isolation: 'serializable' }
    const nodes = [anotherNode(strict), anotherNode(strict)]
    const setting = await pools.at(-1)?.query('SHOW default_transaction_isolation')
    expect(setting?.rows).toEqual([{ default_transaction_isolation: 'serializable' }])
    const entries = await appendConcurrently(nodes)
    expectOneChain(entries)
    expect(await nodes[0]?.getAuditHead()).toEqual({
      seq: entries.length,
      hash: entries.at(-1)?.hash,
    })
  })

  it('queues the first appends of two nodes, when there is no head row to lock yet', async () => {
    const nodes = [new PgRepository(firstPool()), anotherNode()]
    // A third party holds the lock a headless append takes, as a node in its first append does.
    const holder = await firstPool().connect()
    try {
      await holder.query('BEGIN')
      await holder.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_APPEND_LOCK])
      const appends = nodes.map((repo, node) => repo.appendAudit(sealOne(`node-${node}`)))
      // Both have read "no head" and wait for the lock; without it both would write seq 1.
      await expect
        .poll(
          async () => {
            const { rows } = await holder.query<{ waiting: number }>(
              `SELECT COUNT(*) AS waiting FROM pg_locks
               WHERE locktype = 'advisory' AND NOT granted AND objid = $1 AND objsubid = 1
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
              [AUDIT_APPEND_LOCK],
            )
            return rows[0]?.waiting
          },
          { timeout: 10_000 },
        )
        .toBe(2)
      await holder.query('COMMIT')
      const appended = (await Promise.all(appends)).flat()
      expect(appended.map((e) => e.seq).sort()).toEqual([1, 2])
      const entries = await nodes[0]?.listAudit(0, 10)
      expectOneChain(entries ?? [])
      expect(await nodes[1]?.getAuditHead()).toEqual({ seq: 2, hash: entries?.[1]?.hash })
    } finally {
      holder.release()
    }
  })

  it('reads BIGINT times, sequence numbers and counts back as numbers', async () => {
    const repo = new PgRepository(firstPool())
    // Beyond 2^31: a real time in milliseconds, which an INTEGER column could not hold.
    const T = 1_767_225_600_123
    await repo.upsertMinistry(KP2MI)
    await repo.createUser({
      id: 'u1',
      email: 'u1@kartu.test',
      name: 'Ayu',
      ministryId: 'KP2MI',
      passwordHash: null,
    })
    await repo.setUserDisabled('u1', T)
    expect((await repo.findUserById('u1'))?.disabledAt).toBe(T)
    await repo.createSession('s', {
      userId: 'u1',
      createdAt: T,
      lastSeenAt: T + 1,
      expiresAt: T + 2,
    })
    expect(await repo.findSession('s')).toEqual({
      userId: 'u1',
      createdAt: T,
      lastSeenAt: T + 1,
      expiresAt: T + 2,
    })
    await repo.createToken({
      id: 't',
      userId: 'u1',
      tokenHash: 'th',
      label: 'cli',
      createdAt: T,
      expiresAt: T + 5,
    })
    expect(await repo.revokeToken('t', T + 3)).toMatchObject({
      createdAt: T,
      expiresAt: T + 5,
      revokedAt: T + 3,
    })
    await repo.createDeck({
      id: 'deck-1',
      title: 'Dialog CMW',
      titleEn: 'CMW dialogue',
      committee: 'CMW',
      stateParty: 'Indonesia',
      clusters: [],
      ministryIds: [],
    })
    await repo.createCard(newCard('c1', 0, 'CC-01'))
    const [seq] = await repo.writeEdits([{ seq: null, edit: edit('c1', 'u2', T) }])
    expect(typeof seq).toBe('number')
    expect((await repo.listEdits('c1', T, T))[0]?.at).toBe(T)
    await repo.addVersion(version('v1', 'c1', T, 'session'))
    expect((await repo.listVersions('c1'))[0]?.createdAt).toBe(T)
    expect(await repo.lastSessionAt('deck-1')).toBe(T)
    // SUM and COUNT(*) are BIGINT in PostgreSQL.
    expect(await repo.versionBytes('c1')).toBe(4)
    await repo.recordVisits([{ userId: 'u1', cardId: 'c1', at: T - 1, versionId: 'v1' }])
    expect(await repo.visitsOfDeck('u1', 'deck-1')).toEqual([
      { cardId: 'c1', visitedAt: T - 1, changes: 1 },
    ])
    const [entry] = await repo.appendAudit(sealOne('u1'))
    expect(await repo.listAudit(0, 1)).toEqual([entry])
    expect(await repo.getAuditHead()).toEqual({ seq: 1, hash: entry?.hash })
  })

  it('orders text byte by byte, as SQLite does, where the database collates by language', async () => {
    const pool = firstPool()
    const repo = new PgRepository(pool)
    const { rows } = await pool.query<{ linguistic: boolean }>(
      `SELECT 'a' < ('B' COLLATE "en-x-icu") AS linguistic`,
    )
    // The columns' own collation must really put 'a' before 'B', or this would prove nothing.
    expect(rows[0]?.linguistic).toBe(true)
    for (const [table, column] of [
      ['ministries', 'id'],
      ['users', 'name'],
      ['cards', 'ref'],
    ]) {
      await pool.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE text COLLATE "en-x-icu"`)
    }
    for (const id of ['KP2MI', 'kemenkes', 'KEMLU']) await repo.upsertMinistry({ ...KP2MI, id })
    expect((await repo.listMinistries()).map((m) => m.id)).toEqual(['KEMLU', 'KP2MI', 'kemenkes'])
    await repo.createDeck({
      id: 'deck-1',
      title: 'Dialog CMW',
      titleEn: 'CMW dialogue',
      committee: 'CMW',
      stateParty: 'Indonesia',
      clusters: [],
      ministryIds: [],
    })
    for (const [id, name] of [
      ['u1', 'ayu'],
      ['u2', 'Budi'],
    ] as const) {
      await repo.createUser({ id, email: `${id}@x`, name, ministryId: 'KP2MI', passwordHash: null })
      await repo.setMember('deck-1', id, Role.Editor)
    }
    expect((await repo.listMembers('deck-1')).map((m) => m.name)).toEqual(['Budi', 'ayu'])
    await repo.createCard(newCard('c-lower', 0, 'cc-1'))
    await repo.createCard(newCard('c-upper', 0, 'CC-2'))
    expect((await repo.listCards('deck-1')).map((c) => c.ref)).toEqual(['CC-2', 'cc-1'])
  })
})
