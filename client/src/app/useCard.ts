import { useQuery, useQueryClient } from '@tanstack/react-query'
import { fetchCard } from './api.ts'
import { cachedCard } from './cachedCard.ts'
import { queryKeys } from './queryKeys.ts'

export function useCard(cardId: string) {
  const queryClient = useQueryClient()
  return useQuery({
    queryKey: queryKeys.card(cardId),
    queryFn: () => fetchCard(cardId),
    // Opened from the dashboard, the card is in the deck's list already: the page starts from it
    // (and its editor connects at once) instead of waiting a round trip, which a slow link makes
    // long. Marked stale all the same, so that the card's own answer is still fetched, in the
    // background: the service worker keeps it, and a reload while offline opens the card from it.
    initialData: () => cachedCard(queryClient, cardId),
    initialDataUpdatedAt: 0,
  })
}
