import type { Card, CardsResponse, DeckResponse } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { cardFromList } from './cardFromList.ts'

const card = (id: string, deckId: string): Card =>
  ({ id, deckId, ref: id.toUpperCase() }) as unknown as Card
const list = (...cards: Card[]): CardsResponse => ({ cards })
const deck = (role: DeckResponse['role']): DeckResponse => ({
  deck: {} as DeckResponse['deck'],
  role,
})

describe('cardFromList', () => {
  it("answers the card from its deck's list, with the deck's role", () => {
    const lists = [list(card('a', 'd1')), list(card('b', 'd2'), card('c', 'd2'))]
    const found = cardFromList('c', lists, (deckId) =>
      deckId === 'd2' ? deck('editor') : undefined,
    )
    expect(found).toEqual({ card: card('c', 'd2'), role: 'editor' })
  })

  it('answers nothing for a card in no list, or whose deck is not known', () => {
    const lists = [list(card('a', 'd1'))]
    expect(cardFromList('x', lists, () => deck('chair'))).toBeUndefined()
    expect(cardFromList('a', lists, () => undefined)).toBeUndefined()
  })
})
