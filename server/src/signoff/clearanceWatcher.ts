/**
 * Keeps each card's agreed-text hash up to date as its answer is stored, so that a clearance of
 * an earlier text shows as such (and its author hears of it) within about a second of the change.
 */
import { StoredCardBatch } from '../collab/storedCardBatch.ts'
import type { Logger } from '../collab/types.ts'
import type { AnswerHashes } from './answerHashes.ts'

export function clearanceWatcher(
  hashes: AnswerHashes,
  logger: Logger,
  delayMs = 1000,
): StoredCardBatch {
  return new StoredCardBatch(
    'clearance hashes',
    async (cards) => {
      const found: Array<{ cardId: string; hash: string }> = []
      for (const { cardId, doc } of cards) {
        try {
          found.push({ cardId, hash: hashes.hashOf(doc) })
        } catch (error) {
          // A document that does not fit the schema has no agreed text (doctor repairs it).
          logger.warn({ card: cardId, err: error }, 'agreed text not read')
        }
      }
      await hashes.note(found)
    },
    logger,
    delayMs,
  )
}
