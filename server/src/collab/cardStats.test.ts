import { cardDocumentName } from '@kartu/protocol'
import { ANSWER_FIELD } from '@kartu/schema'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { recordingLogger } from '../testing/collabFixtures.ts'
import { importDemoDeck, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { cardStatsRecorder } from './cardStats.ts'

/** A card document whose answer is one paragraph of `words`. */
function answerOf(words: string): Y.Doc {
  const doc = new Y.Doc()
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(words)])
  doc.getXmlFragment(ANSWER_FIELD).insert(0, [paragraph])
  return doc
}

describe('the card figures recorder', () => {
  let temp: TempStorage
  let cardIds: string[]

  beforeEach(async () => {
    temp = await openTempStorage()
    cardIds = (await importDemoDeck(temp)).cardIds
  })

  afterEach(async () => {
    await temp.cleanup()
  })

  const wordsOf = async (cardId: string) =>
    (await temp.storage.repository.getCard(cardId))?.wordCount

  it('writes the figures of every card stored in one interval together, from its latest document', async () => {
    const stats = cardStatsRecorder(temp.storage.repository, recordingLogger(), 20)
    const [first, second] = cardIds as [string, string]
    stats.stored({ name: cardDocumentName(first), doc: answerOf('satu dua') })
    stats.stored({ name: cardDocumentName(second), doc: answerOf('satu dua tiga') })
    // Stored again within the interval: the figures are read from the newest document.
    stats.stored({ name: cardDocumentName(first), doc: answerOf('satu dua tiga empat') })
    expect(await wordsOf(first)).not.toBe(4)
    for (let tries = 0; tries < 200 && (await wordsOf(second)) !== 3; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(await wordsOf(second)).toBe(3)
    expect(await wordsOf(first)).toBe(4)
  })

  it('writes what waits when flushed (at shutdown), and ignores documents that are not cards', async () => {
    const stats = cardStatsRecorder(temp.storage.repository, recordingLogger(), 60_000)
    const [first] = cardIds as [string]
    stats.stored({ name: 'deck:whatever', doc: answerOf('tidak dihitung') })
    stats.stored({ name: cardDocumentName(first), doc: answerOf('lima kata dalam jawaban ini') })
    await stats.flush()
    expect(await wordsOf(first)).toBe(5)
  })
})
