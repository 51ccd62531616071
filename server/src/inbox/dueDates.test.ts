import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Storage } from '../store/openStore.ts'
import { openTestStorage } from '../testing/testStore.ts'
import { DueDates, dayIn } from './dueDates.ts'
import { Inbox } from './inbox.ts'

const silent = { info() {}, warn() {}, error() {}, debug() {} }

describe('due dates near', () => {
  let dir: string
  let storage: Storage
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-due-'))
    storage = await openTestStorage(dir)
    const { repository } = storage
    for (const id of ['KEMLU', 'KP2MI']) {
      await repository.upsertMinistry({
        id,
        short: id,
        nameId: id,
        nameEn: id,
        aliases: [],
        color: '#000',
      })
    }
    await repository.createDeck({
      id: 'd1',
      title: 'CMW',
      titleEn: 'CMW',
      committee: 'CMW',
      stateParty: 'Indonesia',
      clusters: [{ id: 'K1', nameId: 'K1', nameEn: 'K1' }],
      ministryIds: ['KEMLU', 'KP2MI'],
    })
    for (const [id, ministryId] of [
      ['u-kemlu', 'KEMLU'],
      ['u-kp2mi', 'KP2MI'],
    ] as const) {
      await repository.createUser({
        id,
        email: `${id}@x.test`,
        name: id,
        ministryId,
        passwordHash: null,
      })
      await repository.setMember('d1', id, 'editor')
    }
    for (const [id, dueDate] of [
      ['soon', '2026-12-07'],
      ['later', '2026-12-20'],
    ] as const) {
      await repository.createCard({
        id,
        deckId: 'd1',
        ref: id,
        cluster: 'K1',
        questionRef: '',
        question: 'Q?',
        questionId: '',
        articles: [],
        leadMinistry: 'KEMLU',
        contributingMinistries: ['KP2MI'],
        status: 'draft',
        timeBudgetSec: 120,
        position: 0,
        extra: {},
      })
      await repository.updateCard(id, { dueDate })
    }
  })
  afterEach(async () => {
    await storage.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('tells each assigned ministry once per due date, and not a ministry that cleared', async () => {
    const inbox = new Inbox(storage.inbox, storage.repository, storage.signOff, silent)
    const due = new DueDates(
      storage.signOff,
      inbox,
      { timeZone: 'Asia/Jakarta', intervalMs: 1000 },
      silent,
    )
    await storage.signOff.putClearance({
      cardId: 'soon',
      ministryId: 'KP2MI',
      userId: 'u-kp2mi',
      at: 1,
      textHash: 'h',
      versionId: 'v',
    })
    await storage.signOff.setAnswerHashes([{ cardId: 'soon', hash: 'h' }])
    const now = Date.UTC(2026, 11, 5, 3)
    expect(await due.sweep(now)).toBe(1)
    const items = await storage.inbox.listInbox('u-kemlu', { unreadOnly: false, limit: 10 })
    expect(items.map((i) => [i.kind, i.cardId, i.details.dueDate])).toEqual([
      ['due_soon', 'soon', '2026-12-07'],
    ])
    expect(await storage.inbox.listInbox('u-kp2mi', { unreadOnly: false, limit: 10 })).toEqual([])
    // The next sweep adds nothing; a moved due date is news again.
    expect(await due.sweep(now + 3_600_000)).toBe(0)
    await storage.repository.updateCard('soon', { dueDate: '2026-12-06' })
    expect(await due.sweep(now + 7_200_000)).toBe(1)
  })

  it('names the day in the delegation’s time zone', () => {
    // 23:30 UTC on the 5th is already the 6th in Jakarta (UTC+7).
    expect(dayIn('Asia/Jakarta', Date.UTC(2026, 11, 5, 23, 30))).toBe('2026-12-06')
    expect(dayIn('UTC', Date.UTC(2026, 11, 5, 23, 30))).toBe('2026-12-05')
  })
})
