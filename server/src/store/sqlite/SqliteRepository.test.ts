import { CardStatus, type Ministry, Role } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir, removeDir } from '../../testing/tempStorage.ts'
import type { NewCard } from '../types.ts'
import { openDatabase, type SqliteDatabase } from './openDatabase.ts'
import { SqliteRepository } from './SqliteRepository.ts'

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

function newCard(id: string, position: number, ref: string): NewCard {
  return {
    id,
    deckId: 'deck-1',
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

describe('SqliteRepository', () => {
  let dir: string
  let db: SqliteDatabase
  let repo: SqliteRepository

  beforeEach(async () => {
    dir = makeTempDir()
    db = openDatabase(dir)
    repo = new SqliteRepository(db)
    for (const ministry of [KP2MI, KEMLU, BAPPENAS]) await repo.upsertMinistry(ministry)
  })

  afterEach(() => {
    db.close()
    removeDir(dir)
  })

  async function addUser(id: string, name: string): Promise<void> {
    await repo.createUser({
      id,
      email: `${id}@kartu.test`,
      name,
      ministryId: 'KP2MI',
      passwordHash: null,
    })
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

  it('upserts ministries', async () => {
    await repo.upsertMinistry({ ...KEMLU, color: '#000000', aliases: ['Deplu'] })
    const ministries = await repo.listMinistries()
    expect(ministries.map((m) => m.id)).toEqual(['BAPPENAS', 'KEMLU', 'KP2MI'])
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
    await expect(addUser('u1', 'Twice')).rejects.toThrow(/UNIQUE/)
  })

  it('disables and enables accounts, and finds several by email', async () => {
    await addUser('u1', 'Ayu')
    await addUser('u2', 'Budi')
    await repo.setUserDisabled('u1', 4242)
    expect((await repo.findUserById('u1'))?.disabledAt).toBe(4242)
    expect((await repo.findUserById('u2'))?.disabledAt).toBeNull()
    const found = await repo.findUsersByEmail(['u1@kartu.test', 'u2@kartu.test', 'x@kartu.test'])
    expect(found.map((u) => [u.id, u.disabledAt]).sort()).toEqual([
      ['u1', 4242],
      ['u2', null],
    ])
    expect(await repo.findUsersByEmail([])).toEqual([])
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
    const t1 = { id: 't1', userId: 'u1', label: 'cli', createdAt: 1000, expiresAt: 5000 }
    expect(await repo.findToken('th-1')).toEqual({ ...t1, revokedAt: null })
    expect(await repo.revokeToken('t1', 3000)).toEqual({ ...t1, revokedAt: 3000 })
    // A second revocation keeps the first time.
    expect(await repo.revokeToken('t1', 4000)).toEqual({ ...t1, revokedAt: 3000 })
    expect(await repo.findToken('th-1')).toEqual({ ...t1, revokedAt: 3000 })
    expect(await repo.findToken('th-2')).toMatchObject({ id: 't2', revokedAt: null })
    expect(await repo.findToken('unknown')).toBeNull()
    expect(await repo.revokeToken('unknown', 3000)).toBeNull()
    expect((await repo.listTokens('u1')).map((t) => t.id)).toEqual(['t1', 't2'])
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
    })
    expect(deck?.ministries).toHaveLength(2)
    expect(deck?.ministries).toEqual(expect.arrayContaining([KP2MI, KEMLU]))
    expect(Number.isNaN(Date.parse(deck?.createdAt ?? ''))).toBe(false)
    expect(await repo.getDeck('deck-2')).toBeNull()
  })

  it('lists cards by position, then ref', async () => {
    await addDeck()
    await repo.createCard(newCard('c-late', 2, 'CC-03'))
    await repo.createCard(newCard('c-b', 1, 'CC-02b'))
    await repo.createCard(newCard('c-first', 0, 'CC-01'))
    await repo.createCard(newCard('c-a', 1, 'CC-02a'))
    const cards = await repo.listCards('deck-1')
    expect(cards.map((c) => c.id)).toEqual(['c-first', 'c-a', 'c-b', 'c-late'])
    expect(cards[0]).toMatchObject({
      deckId: 'deck-1',
      articles: ['1', '7'],
      contributingMinistries: ['KEMLU'],
      status: 'draft',
      wordCount: 0,
      openSuggestions: 0,
      openThreads: 0,
      mentionedMinistries: [],
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

  it('refuses a membership for a user that does not exist (foreign keys are on)', async () => {
    await addDeck()
    await expect(repo.setMember('deck-1', 'ghost', Role.Editor)).rejects.toThrow(/FOREIGN KEY/)
  })
})
