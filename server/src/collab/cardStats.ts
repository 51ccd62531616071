/**
 * Keeps each card's figures in SQL (words, open suggestions and threads, mentions) up to date
 * with its document, so the dashboard can list them without loading every card document.
 *
 * Gathered (storedCardBatch.ts): a card whose updates were stored is marked, and once per
 * `delayMs` the figures of every marked card are written in one transaction. Typing costs no
 * write per keystroke, and many cards edited at once (a rakor's ministries each on their own
 * card) cost one commit per interval, not one per card: with a commit per card the figures cost
 * as many fsyncs as the edits themselves on a hundred busy cards.
 */
import { cardStats } from '@kartu/schema'
import type { Cards } from '../store/types.ts'
import { StoredCardBatch } from './storedCardBatch.ts'
import type { Logger } from './types.ts'

export type CardStats = StoredCardBatch<CardStatsValue>

type CardStatsValue = ReturnType<typeof cardStats>

export function cardStatsRecorder(repository: Cards, logger: Logger, delayMs = 1000): CardStats {
  return new StoredCardBatch<CardStatsValue>(
    {
      what: 'card figures',
      read: (_cardId, doc) => cardStats(doc),
      write: (cards) =>
        repository.setManyCardStats(cards.map(({ cardId, value }) => ({ cardId, stats: value }))),
    },
    logger,
    { delayMs },
  )
}
