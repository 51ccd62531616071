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
): StoredCardBatch<string> {
  return new StoredCardBatch<string>(
    {
      what: 'clearance hashes',
      // A document that does not fit the schema has no agreed text: reading it throws, and the
      // card is left out of the batch (doctor repairs it).
      read: (_cardId, doc) => hashes.hashOf(doc),
      write: (cards) => hashes.note(cards.map(({ cardId, value }) => ({ cardId, hash: value }))),
    },
    logger,
    { delayMs },
  )
}
