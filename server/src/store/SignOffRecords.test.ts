/**
 * What the sign-off records promise (types.ts SignOffRecords; used by signoff/ and inbox/), on
 * SQLite and on PostgreSQL: clearances, the cards' agreed-text hashes and which clearances a new
 * hash makes stale (decided in the same transaction as the write, even with two writers), focal
 * persons, and the cards falling due.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  addCard,
  addDeck,
  addMinistry,
  addUser,
  ENGINES,
  type EngineConnection,
  type EngineName,
  engineAvailable,
  openTestEngine,
  type SeedCard,
  type TestEngine,
} from '../testing/storeEngines.ts'
import type { ClearanceRecord } from './types.ts'

const available = new Map<EngineName, boolean>()
for (const engine of ENGINES) available.set(engine, await engineAvailable(engine))

function clearance(
  cardId: string,
  ministryId: string,
  textHash: string,
  at: number,
  userId = ministryId === 'KP2MI' ? 'u-kp2mi' : 'u-kemlu',
): ClearanceRecord {
  return { cardId, ministryId, userId, at, textHash, versionId: `v-${textHash}-${at}` }
}

describe.each(ENGINES)('SignOffRecords on %s', (engine) => {
  describe.skipIf(!available.get(engine))('', () => {
    let db: TestEngine

    beforeEach(async () => {
      db = await openTestEngine(engine)
      for (const ministry of ['KP2MI', 'KEMLU', 'BAPPENAS']) await addMinistry(db, ministry)
      await addUser(db, 'u-kp2mi', 'KP2MI')
      await addUser(db, 'u-kemlu', 'KEMLU')
      await addUser(db, 'u-kemlu-2', 'KEMLU')
      await addDeck(db, 'deck-1', ['KP2MI', 'KEMLU'])
      await addDeck(db, 'deck-2', ['KP2MI'])
      for (const [position, id] of ['c1', 'c2', 'c3'].entries()) {
        await addCard(db, { id, deckId: 'deck-1', position })
      }
    })

    afterEach(async () => {
      await db.destroy()
    })

    it('gives a clearance per ministry and card, replaces it, and withdraws it', async () => {
      const records = db.signOff
      await records.putClearance(clearance('c1', 'KP2MI', 'h1', 1000))
      await records.putClearance(clearance('c1', 'KEMLU', 'h1', 900))
      await records.putClearance(clearance('c2', 'KEMLU', 'h9', 800))
      // Oldest first.
      expect(await records.listClearances('c1')).toEqual([
        clearance('c1', 'KEMLU', 'h1', 900),
        clearance('c1', 'KP2MI', 'h1', 1000),
      ])
      // Clearing again replaces the ministry's earlier clearance, whoever gives it.
      const again = clearance('c1', 'KEMLU', 'h2', 2000, 'u-kemlu-2')
      await records.putClearance(again)
      expect(await records.listClearances('c1')).toEqual([
        clearance('c1', 'KP2MI', 'h1', 1000),
        again,
      ])
      expect(await records.deleteClearance('c1', 'KEMLU')).toBe(true)
      expect(await records.deleteClearance('c1', 'KEMLU')).toBe(false)
      expect(await records.deleteClearance('c3', 'KP2MI')).toBe(false)
      expect(await records.listClearances('c1')).toEqual([clearance('c1', 'KP2MI', 'h1', 1000)])
      expect(await records.listClearances('c2')).toEqual([clearance('c2', 'KEMLU', 'h9', 800)])
      expect(await records.listClearances('c3')).toEqual([])
    })

    it('records the answer hashes, returning the clearances a new hash made stale', async () => {
      const records = db.signOff
      expect(await records.getAnswerHash('c1')).toBeNull()
      // The first hash replaces none: nothing was current before.
      expect(await records.setAnswerHashes([{ cardId: 'c1', hash: 'h1' }])).toEqual([])
      expect(await records.getAnswerHash('c1')).toBe('h1')
      const current = clearance('c1', 'KP2MI', 'h1', 1000)
      const older = clearance('c1', 'KEMLU', 'h0', 900)
      await records.putClearance(current)
      await records.putClearance(older)
      // The same hash again changes nothing.
      expect(await records.setAnswerHashes([{ cardId: 'c1', hash: 'h1' }])).toEqual([])
      // A new one: the clearance of h1 goes stale; the one of h0 was not current, so is not.
      expect(await records.setAnswerHashes([{ cardId: 'c1', hash: 'h2' }])).toEqual([current])
      expect(await records.getAnswerHash('c1')).toBe('h2')
      // Back to h1: nothing of h2 to make stale (h1's clearance is current again).
      expect(await records.setAnswerHashes([{ cardId: 'c1', hash: 'h1' }])).toEqual([])
      // Unknown cards are skipped; no entries, no change.
      expect(await records.setAnswerHashes([{ cardId: 'nope', hash: 'x' }])).toEqual([])
      expect(await records.getAnswerHash('nope')).toBeNull()
      expect(await records.setAnswerHashes([])).toEqual([])
      expect(await records.getAnswerHash('c1')).toBe('h1')
    })

    it('handles several cards in one call, in the order given, and a card named twice', async () => {
      const records = db.signOff
      await records.setAnswerHashes([
        { cardId: 'c1', hash: 'a1' },
        { cardId: 'c2', hash: 'b1' },
        { cardId: 'c3', hash: 'c1' },
      ])
      const c2k = clearance('c2', 'KP2MI', 'b1', 10)
      const c2e = clearance('c2', 'KEMLU', 'b1', 20)
      const c1k = clearance('c1', 'KP2MI', 'a1', 30)
      const c1e = clearance('c1', 'KEMLU', 'a2', 40)
      for (const record of [c2k, c2e, c1k, c1e]) await records.putClearance(record)
      const stale = await records.setAnswerHashes([
        { cardId: 'c2', hash: 'b2' },
        { cardId: 'c3', hash: 'c1' },
        // c1 goes through a2 to a3: a1's clearance goes stale, then a2's (current in between).
        { cardId: 'c1', hash: 'a2' },
        { cardId: 'c1', hash: 'a3' },
      ])
      // Card by card as given, each card's by ministry.
      expect(stale).toEqual([c2e, c2k, c1k, c1e])
      expect(await records.getAnswerHash('c1')).toBe('a3')
      expect(await records.getAnswerHash('c2')).toBe('b2')
      expect(await records.getAnswerHash('c3')).toBe('c1')
    })

    it('makes a clearance stale once, however two writers race to change the hash', async () => {
      const other = await db.connectAgain()
      const writers: EngineConnection[] = [db, other]
      for (let round = 0; round < 15; round++) {
        await db.signOff.setAnswerHashes([{ cardId: 'c1', hash: `base-${round}` }])
        const given = clearance('c1', 'KP2MI', `base-${round}`, round)
        await db.signOff.putClearance(given)
        const results = await Promise.all(
          writers.map((writer, index) =>
            writer.signOff.setAnswerHashes([{ cardId: 'c1', hash: `new-${round}-${index}` }]),
          ),
        )
        // Whichever wrote second replaced the first one's hash, which nobody had cleared.
        expect(results.flat(), `round ${round}`).toEqual([given])
        expect(await db.signOff.getAnswerHash('c1')).toMatch(new RegExp(`^new-${round}-[01]$`))
      }
    })

    it("replaces a ministry's focal persons in a deck, leaving the others alone", async () => {
      const records = db.signOff
      expect(await records.listFocalPersons('deck-1')).toEqual([])
      await records.setFocalPersons('deck-1', 'KP2MI', ['u-kp2mi'])
      // Kept sorted, and a repeat is one person.
      await records.setFocalPersons('deck-1', 'KEMLU', ['u-kemlu-2', 'u-kemlu', 'u-kemlu-2'])
      await records.setFocalPersons('deck-2', 'KP2MI', ['u-kp2mi'])
      expect(await records.listFocalPersons('deck-1')).toEqual([
        { ministryId: 'KEMLU', userIds: ['u-kemlu', 'u-kemlu-2'] },
        { ministryId: 'KP2MI', userIds: ['u-kp2mi'] },
      ])
      await records.setFocalPersons('deck-1', 'KEMLU', ['u-kemlu-2'])
      await records.setFocalPersons('deck-1', 'KP2MI', [])
      expect(await records.listFocalPersons('deck-1')).toEqual([
        { ministryId: 'KEMLU', userIds: ['u-kemlu-2'] },
      ])
      expect(await records.listFocalPersons('deck-2')).toEqual([
        { ministryId: 'KP2MI', userIds: ['u-kp2mi'] },
      ])
    })

    it('keeps one whole list when two writers set the focal persons at once', async () => {
      const other = await db.connectAgain()
      const lists = [['u-kemlu'], ['u-kemlu-2', 'u-kp2mi']]
      for (let round = 0; round < 15; round++) {
        await Promise.all(
          [db, other].map((writer, index) =>
            writer.signOff.setFocalPersons('deck-1', 'KEMLU', lists[index] as string[]),
          ),
        )
        const [entry] = await db.signOff.listFocalPersons('deck-1')
        // One writer's list or the other's, never both mixed.
        expect([['u-kemlu'], ['u-kemlu-2', 'u-kp2mi']], `round ${round}`).toContainEqual(
          entry?.userIds,
        )
      }
    })

    it('lists the cards due by a day, in every deck, not final, soonest first', async () => {
      const due = async (
        id: string,
        deckId: string,
        dueDate: string | null,
        extra: Partial<SeedCard> = {},
      ) => addCard(db, { ...extra, id, deckId, dueDate })
      await due('late', 'deck-1', '2026-03-10', { position: 5 })
      await due('early', 'deck-2', '2026-03-01', { position: 9 })
      await due('same-day-first', 'deck-1', '2026-03-10', { position: 4 })
      await due('after', 'deck-1', '2026-03-11')
      await due('final', 'deck-1', '2026-03-01', { status: 'final' })
      await due('none', 'deck-1', null)
      const cards = await db.signOff.listCardsDueBy('2026-03-10')
      expect(cards.map((card) => card.id)).toEqual(['early', 'same-day-first', 'late'])
      expect(cards.map((card) => card.dueDate)).toEqual(['2026-03-01', '2026-03-10', '2026-03-10'])
      expect(cards[0]).toMatchObject({ deckId: 'deck-2', status: 'draft' })
      expect(await db.signOff.listCardsDueBy('2026-02-28')).toEqual([])
    })
  })
})
