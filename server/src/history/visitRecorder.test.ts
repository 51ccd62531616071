import { cardDocumentName } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Participant } from '../collab/types.ts'
import type { VisitRecord, Visits } from '../store/types.ts'
import { recordingLogger } from '../testing/collabFixtures.ts'
import { importDemoDeck, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { CardVersions } from './cardVersions.ts'
import { VisitRecorder } from './visitRecorder.ts'

const person = (userId: string, deckId: string): Participant => ({
  userId,
  deckId,
  role: 'editor',
  presence: { id: userId, name: userId, ministryId: 'kp2mi', ministry: 'KP2MI', color: '#000' },
})

describe('VisitRecorder', () => {
  let temp: TempStorage
  let deckId: string
  let cardId: string

  beforeEach(async () => {
    temp = await openTempStorage()
    const deck = await importDemoDeck(temp)
    deckId = deck.deckId
    cardId = deck.cardIds[0] as string
  })

  afterEach(async () => {
    await temp.cleanup()
  })

  it('writes the visits of people leaving together in one transaction, on one shared version', async () => {
    const logger = recordingLogger()
    const repository = temp.storage.repository
    // The real store, with a count of the calls the recorder makes to it.
    const batches: number[] = []
    const visits: Visits = {
      recordVisits: (records: readonly VisitRecord[]) => {
        batches.push(records.length)
        return repository.recordVisits(records)
      },
      getVisit: (userId, card) => repository.getVisit(userId, card),
      visitsOfDeck: (userId, deck) => repository.visitsOfDeck(userId, deck),
      latestVersion: (card) => repository.latestVersion(card),
    }
    const recorder = new VisitRecorder(
      new CardVersions(repository, temp.storage.documents, logger),
      visits,
      logger,
    )
    const doc = new Y.Doc()
    doc.getXmlFragment('answer').insert(0, [new Y.XmlText('jawaban')])
    const people = Array.from({ length: 30 }, (_, i) => `u${i}`)
    for (const userId of people) {
      recorder.connectionClosed({
        documentName: cardDocumentName(cardId),
        doc,
        participant: person(userId, deckId),
      })
    }
    await recorder.flush()
    expect(batches).toEqual([30])
    const seen = await Promise.all(people.map((userId) => repository.getVisit(userId, cardId)))
    const versionIds = new Set(seen.map((visit) => visit?.versionId))
    expect(versionIds.size).toBe(1)
    expect(await repository.listVersions(cardId)).toHaveLength(1)
    expect(logger.entries.filter((entry) => entry.level === 'warn')).toEqual([])
  })
})
