import type { CardsResponse, DeckResponse } from '@kartu/protocol'
import type { QueryClient } from '@tanstack/react-query'
import { cardFromList } from './cardFromList.ts'
import { queryKeys } from './queryKeys.ts'

/** The card as the dashboard's queries already hold it (cardFromList.ts), or undefined. */
export function cachedCard(queryClient: QueryClient, cardId: string) {
  const lists = queryClient
    .getQueriesData<CardsResponse>({ queryKey: ['deck'] })
    .filter(([queryKey]) => queryKey.length === 3 && queryKey[2] === 'cards')
    .map(([, data]) => data)
    .filter((list): list is CardsResponse => list !== undefined)
  return cardFromList(cardId, lists, (deckId) =>
    queryClient.getQueryData<DeckResponse>(queryKeys.deck(deckId)),
  )
}
