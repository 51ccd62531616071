import type { CardsResponse, DeckResponse } from '@kartu/protocol'
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query'
import { fetchCard } from './api.ts'
import { type Cached, cardFromList } from './cardFromList.ts'
import { queryKeys } from './queryKeys.ts'

function cached<T>(queryClient: QueryClient, queryKey: readonly unknown[]): Cached<T> | undefined {
  const state = queryClient.getQueryState<T>(queryKey)
  return state?.data === undefined
    ? undefined
    : { data: state.data, updatedAt: state.dataUpdatedAt }
}

function fromDashboard(queryClient: QueryClient, cardId: string) {
  const lists = queryClient
    .getQueryCache()
    .findAll({ queryKey: ['deck'] })
    .filter((query) => query.queryKey.length === 3 && query.queryKey[2] === 'cards')
    .map((query) => cached<CardsResponse>(queryClient, query.queryKey))
    .filter((list): list is Cached<CardsResponse> => list !== undefined)
  return cardFromList(cardId, lists, (deckId) =>
    cached<DeckResponse>(queryClient, queryKeys.deck(deckId)),
  )
}

export function useCard(cardId: string) {
  const queryClient = useQueryClient()
  return useQuery({
    queryKey: queryKeys.card(cardId),
    queryFn: () => fetchCard(cardId),
    // Opened from the dashboard, the card is in the deck's list already: the page starts from it
    // (and its editor connects at once) instead of waiting a round trip, which a slow link makes
    // long. As stale as that list, it is fetched again in the background like any query.
    initialData: () => fromDashboard(queryClient, cardId)?.data,
    initialDataUpdatedAt: () => fromDashboard(queryClient, cardId)?.updatedAt,
  })
}
