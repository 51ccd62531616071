/**
 * Keeps the search index's answer texts up to date: as answers are stored (gathered, once a
 * second), and at start for cards never indexed (an upgraded database, a deck imported before).
 */
import { cardDocumentName } from '@kartu/protocol'
import { ANSWER_FIELD, fragmentToPlainText } from '@kartu/schema'
import { restoreDocument } from '../collab/restoreDocument.ts'
import { StoredCardBatch } from '../collab/storedCardBatch.ts'
import type { Logger } from '../collab/types.ts'
import type { DocumentStore, SearchIndex } from '../store/types.ts'

/** The words of the answer that search matches (suggested text included: it is on the card). */
export function answerSearchText(doc: import('yjs').Doc): string {
  return fragmentToPlainText(doc.getXmlFragment(ANSWER_FIELD))
}

export function searchIndexer(
  index: SearchIndex,
  logger: Logger,
  delayMs = 1000,
): StoredCardBatch<string> {
  return new StoredCardBatch<string>(
    {
      what: 'search index',
      read: (_cardId, doc) => answerSearchText(doc),
      write: (cards) =>
        index.setAnswerTexts(cards.map(({ cardId, value }) => ({ cardId, text: value }))),
    },
    logger,
    { delayMs },
  )
}

/** Indexes the answers of cards that have none indexed yet; returns how many it indexed. */
export async function indexMissingAnswers(
  index: SearchIndex,
  documents: DocumentStore,
  logger: Logger,
): Promise<number> {
  let total = 0
  for (;;) {
    const cardIds = await index.cardsWithoutAnswerText(50)
    if (cardIds.length === 0) return total
    const entries: Array<{ cardId: string; text: string }> = []
    for (const cardId of cardIds) {
      const name = cardDocumentName(cardId)
      let text = ''
      try {
        const doc = restoreDocument(name, await documents.loadDocument(name), logger)
        text = answerSearchText(doc)
        doc.destroy()
      } catch (error) {
        // Indexed as empty rather than tried again for ever; the next edit indexes it.
        logger.warn({ card: cardId, err: error }, 'answer not indexed')
      }
      entries.push({ cardId, text })
    }
    await index.setAnswerTexts(entries)
    total += entries.length
  }
}
