import type { CardResponse, CardsResponse, DeckResponse } from '@kartu/protocol'

/**
 * A card's answer (GET /api/cards/:id) made from what the dashboard already holds: the card as
 * the deck's list has it (the same fields) and the role the deck gave (a card's role is its
 * deck's). Undefined when either is missing.
 */
export function cardFromList(
  cardId: string,
  lists: readonly CardsResponse[],
  deckOf: (deckId: string) => DeckResponse | undefined,
): CardResponse | undefined {
  for (const list of lists) {
    const card = list.cards.find((candidate) => candidate.id === cardId)
    if (!card) continue
    const deck = deckOf(card.deckId)
    return deck ? { card, role: deck.role } : undefined
  }
  return undefined
}
