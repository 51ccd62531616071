/**
 * What the inbox records promise (types.ts InboxRecords; used by inbox/), on SQLite and on
 * PostgreSQL: items added once per dedupe key (the first), all or none per call; listed newest
 * first with their card's ref; counted, marked read, listed for mail and marked mailed;
 * notification settings; one unsubscribe token per person, the first stored, even when two
 * processes store one at the same moment.
 */
import type { NotificationSettings } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  addCard,
  addDeck,
  addMinistry,
  addUser,
  ENGINES,
  type EngineName,
  engineAvailable,
  openTestEngine,
  type TestEngine,
} from '../testing/storeEngines.ts'
import type { NewInboxItem } from './types.ts'

const available = new Map<EngineName, boolean>()
for (const engine of ENGINES) available.set(engine, await engineAvailable(engine))

function item(id: string, at: number, change: Partial<NewInboxItem> = {}): NewInboxItem {
  return {
    id,
    userId: 'ana',
    deckId: 'deck-1',
    cardId: 'c1',
    kind: 'mention',
    at,
    actorUserId: 'budi',
    threadId: 'thread-1',
    suggestionId: null,
    versionId: null,
    details: { excerpt: `item ${id}` },
    dedupeKey: null,
    ...change,
  }
}

describe.each(ENGINES)('InboxRecords on %s', (engine) => {
  describe.skipIf(!available.get(engine))('', () => {
    let db: TestEngine
    const ids = (records: ReadonlyArray<{ id: string }>) => records.map((record) => record.id)

    beforeEach(async () => {
      db = await openTestEngine(engine)
      await addMinistry(db, 'KP2MI')
      for (const user of ['ana', 'budi', 'citra']) await addUser(db, user, 'KP2MI')
      await addDeck(db, 'deck-1', ['KP2MI'])
      await addCard(db, { id: 'c1', deckId: 'deck-1', ref: 'CC-01' })
      await addCard(db, { id: 'c2', deckId: 'deck-1', ref: 'CC-02', position: 1 })
    })

    afterEach(async () => {
      await db.destroy()
    })

    it("adds items and lists a person's newest first, with the card's ref", async () => {
      const first = item('i1', 1000, {
        details: { text: 'Halo', count: 2, urgent: true, none: null },
        versionId: 'v1',
      })
      const second = item('i2', 3000, { cardId: 'c2', kind: 'reply', actorUserId: null })
      const tie = item('i0', 3000)
      const others = item('i3', 2000, { userId: 'budi' })
      expect(await db.inbox.addInboxItems([first, second, tie, others])).toEqual([
        first,
        second,
        tie,
        others,
      ])
      const listed = await db.inbox.listInbox('ana', { unreadOnly: false, limit: 10 })
      // Newest first; the same moment by id.
      expect(ids(listed)).toEqual(['i0', 'i2', 'i1'])
      expect(listed[2]).toEqual({
        ...first,
        cardRef: 'CC-01',
        readAt: null,
        emailedAt: null,
      })
      expect(listed[1]).toMatchObject({ cardRef: 'CC-02', kind: 'reply', actorUserId: null })
      expect(ids(await db.inbox.listInbox('ana', { unreadOnly: false, limit: 2 }))).toEqual([
        'i0',
        'i2',
      ])
      expect(ids(await db.inbox.listInbox('citra', { unreadOnly: false, limit: 10 }))).toEqual([])
      expect(await db.inbox.addInboxItems([])).toEqual([])
    })

    it('keeps one item per person and dedupe key, the first added', async () => {
      const due = (id: string, userId: string, at: number) =>
        item(id, at, { userId, kind: 'due_soon', dedupeKey: 'due:c1:2026-03-10' })
      expect(ids(await db.inbox.addInboxItems([due('d1', 'ana', 1)]))).toEqual(['d1'])
      // Again later, and twice in one call: only what is new for its person is added.
      const added = await db.inbox.addInboxItems([
        due('d2', 'ana', 2),
        due('d3', 'budi', 3),
        due('d4', 'budi', 4),
        item('plain', 5),
        item('plain-2', 6),
      ])
      expect(ids(added)).toEqual(['d3', 'plain', 'plain-2'])
      // An id already taken is not added again either.
      expect(await db.inbox.addInboxItems([item('plain', 7)])).toEqual([])
      expect(ids(await db.inbox.listInbox('ana', { unreadOnly: false, limit: 10 }))).toEqual([
        'plain-2',
        'plain',
        'd1',
      ])
      expect(ids(await db.inbox.listInbox('budi', { unreadOnly: false, limit: 10 }))).toEqual([
        'd3',
      ])
    })

    it('adds all items of a call or none', async () => {
      await expect(
        db.inbox.addInboxItems([item('ok', 1), item('broken', 2, { cardId: 'no-such-card' })]),
      ).rejects.toThrow()
      expect(await db.inbox.listInbox('ana', { unreadOnly: false, limit: 10 })).toEqual([])
    })

    it('adds a dedupe key once when two processes add it at the same moment', async () => {
      const other = await db.connectAgain()
      for (let round = 0; round < 10; round++) {
        const dedupeKey = `stale:c1:KP2MI:${round}`
        const results = await Promise.all(
          [db, other].map((writer, index) =>
            writer.inbox.addInboxItems([item(`r${round}-${index}`, round, { dedupeKey })]),
          ),
        )
        expect(results.flat(), `round ${round}`).toHaveLength(1)
      }
      expect(await db.inbox.countUnread('ana')).toBe(10)
    })

    it('counts the unread items and marks them read', async () => {
      await db.inbox.addInboxItems([
        item('a', 1),
        item('b', 2),
        item('c', 3),
        item('d', 4),
        item('theirs', 5, { userId: 'budi' }),
      ])
      expect(await db.inbox.countUnread('ana')).toBe(4)
      // Only the person's own, and only those not read yet, count as changed.
      expect(await db.inbox.markRead('ana', ['a', 'b', 'theirs', 'unknown'], 100)).toBe(2)
      expect(await db.inbox.markRead('ana', ['a'], 200)).toBe(0)
      expect(await db.inbox.countUnread('ana')).toBe(2)
      expect(await db.inbox.countUnread('budi')).toBe(1)
      expect(ids(await db.inbox.listInbox('ana', { unreadOnly: true, limit: 10 }))).toEqual([
        'd',
        'c',
      ])
      const all = await db.inbox.listInbox('ana', { unreadOnly: false, limit: 10 })
      expect(all.find((record) => record.id === 'a')?.readAt).toBe(100)
      expect(await db.inbox.markRead('ana', 'all', 300)).toBe(2)
      expect(await db.inbox.countUnread('ana')).toBe(0)
      expect(await db.inbox.markRead('ana', 'all', 400)).toBe(0)
      expect(await db.inbox.markRead('ana', [], 400)).toBe(0)
      expect(await db.inbox.countUnread('budi')).toBe(1)
    })

    it('lists what is neither read nor mailed, oldest first, and marks it mailed', async () => {
      await db.inbox.addInboxItems([
        item('new', 5000),
        item('old', 1000, { userId: 'budi' }),
        item('read', 2000),
        item('mid', 3000),
        item('mid-0', 3000, { userId: 'citra' }),
      ])
      await db.inbox.markRead('ana', ['read'], 2500)
      expect(ids(await db.inbox.listUnmailed(4000, 10))).toEqual(['old', 'mid', 'mid-0'])
      expect(ids(await db.inbox.listUnmailed(4000, 1))).toEqual(['old'])
      await db.inbox.markEmailed(['old', 'mid'], 4500)
      await db.inbox.markEmailed([], 4500)
      expect(ids(await db.inbox.listUnmailed(9000, 10))).toEqual(['mid-0', 'new'])
      const budi = await db.inbox.listInbox('budi', { unreadOnly: false, limit: 10 })
      expect(budi[0]).toMatchObject({ id: 'old', emailedAt: 4500, readAt: null, cardRef: 'CC-01' })
    })

    it("keeps a person's notification settings", async () => {
      expect(await db.inbox.getNotificationSettings('ana')).toBeNull()
      const settings: NotificationSettings = {
        emailMentions: false,
        emailDigest: true,
        language: 'en',
        muted: ['due_soon', 'reply'],
      }
      await db.inbox.setNotificationSettings('ana', settings)
      expect(await db.inbox.getNotificationSettings('ana')).toEqual(settings)
      await db.inbox.setNotificationSettings('ana', { ...settings, language: 'id', muted: [] })
      expect(await db.inbox.getNotificationSettings('ana')).toEqual({
        ...settings,
        language: 'id',
        muted: [],
      })
      expect(await db.inbox.getNotificationSettings('budi')).toBeNull()
      // Settings that no longer read as settings are none (the defaults apply).
      await db.sql('UPDATE notification_settings SET settings = ? WHERE user_id = ?', [
        '{"language":"fr"}',
        'ana',
      ])
      expect(await db.inbox.getNotificationSettings('ana')).toBeNull()
    })

    it('gives each person one unsubscribe token, the first stored', async () => {
      expect(await db.inbox.unsubscribeTokenOf('ana', 'token-a')).toBe('token-a')
      expect(await db.inbox.unsubscribeTokenOf('ana', 'token-b')).toBe('token-a')
      expect(await db.inbox.findUnsubscribeToken('token-a')).toBe('ana')
      expect(await db.inbox.findUnsubscribeToken('token-b')).toBeNull()
      // Two processes storing one at the same moment agree on the winner.
      const other = await db.connectAgain()
      for (const userId of ['budi', 'citra']) {
        const tokens = await Promise.all(
          [db, other].map((writer, index) =>
            writer.inbox.unsubscribeTokenOf(userId, `${userId}-${index}`),
          ),
        )
        expect(tokens[0]).toBe(tokens[1])
        expect(await db.inbox.findUnsubscribeToken(tokens[0] as string)).toBe(userId)
      }
    })
  })
})
