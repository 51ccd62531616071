import type { CardResponse, CardsResponse, DeckResponse } from '@kartu/protocol'

/** A query's data and when it was fetched (ms since the epoch), as the query cache holds it. */
export type Cached<T> = { data: T; updatedAt: number }

/**
 * A card's answer (GET /api/cards/:id) made from what the dashboard already holds: the card as
 * the deck's list has it (the same fields) and the role the deck gave (a card's role is its
 * deck's). As old as the older of the two. Undefined when either is missing.
 */
export function cardFromList(
  cardId: string,
  lists: ReadonlyArray<Cached<CardsResponse>>,
  deckOf: (deckId: string) => Cached<DeckResponse> | undefined,
): Cached<CardResponse> | undefined {
  for (const list of lists) {
    const card = list.data.cards.find((candidate) => candidate.id === cardId)
    if (!card) continue
    const deck = deckOf(card.deckId)
    if (!deck) return undefined
    return {
      data: { card, role: deck.data.role },
      updatedAt: Math.min(list.updatedAt, deck.updatedAt),
    }
  }
  return undefined
}
