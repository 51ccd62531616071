import type { Card, CardsResponse, DeckResponse } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { type Cached, cardFromList } from './cardFromList.ts'

const card = (id: string, deckId: string): Card =>
  ({ id, deckId, ref: id.toUpperCase() }) as unknown as Card
const list = (updatedAt: number, ...cards: Card[]): Cached<CardsResponse> => ({
  data: { cards },
  updatedAt,
})
const deck = (role: DeckResponse['role'], updatedAt: number): Cached<DeckResponse> => ({
  data: { deck: {} as DeckResponse['deck'], role },
  updatedAt,
})

describe('cardFromList', () => {
  it("answers the card from its deck's list, with the deck's role, as old as the older", () => {
    const lists = [list(100, card('a', 'd1')), list(300, card('b', 'd2'), card('c', 'd2'))]
    const found = cardFromList('c', lists, (deckId) =>
      deckId === 'd2' ? deck('editor', 200) : undefined,
    )
    expect(found).toEqual({ data: { card: card('c', 'd2'), role: 'editor' }, updatedAt: 200 })
  })

  it('answers nothing for a card in no list, or whose deck is not known', () => {
    const lists = [list(100, card('a', 'd1'))]
    expect(cardFromList('x', lists, () => deck('chair', 50))).toBeUndefined()
    expect(cardFromList('a', lists, () => undefined)).toBeUndefined()
  })
})
