/**
 * How far the deck is towards sign-off: cards whose text every assigned ministry has cleared.
 */
import { assignedMinistries, type Card, missingClearances } from '@kartu/protocol'

type ProgressCard = Pick<Card, 'status' | 'leadMinistry' | 'contributingMinistries' | 'clearances'>

/**
 * A card counts once every ministry assigned to it has cleared its current text, or once the
 * chair made it final (which may have been with an override, a clearance still missing). A card
 * with no ministry assigned has nobody to clear it: it does not count until it is final.
 */
export function isClearedByAll(card: ProgressCard): boolean {
  if (card.status === 'final') return true
  return assignedMinistries(card).length > 0 && missingClearances(card).length === 0
}

export type DeckProgress = { cleared: number; total: number }

export function deckProgress(cards: readonly ProgressCard[]): DeckProgress {
  return { cleared: cards.filter(isClearedByAll).length, total: cards.length }
}
