import { useQuery } from '@tanstack/react-query'
import { fetchCards } from './api.ts'
import { queryKeys } from './queryKeys.ts'

/** The deck's cards. Word counts and statuses change on the server, so refresh now and then. */
export function useCards(deckId: string) {
  return useQuery({
    queryKey: queryKeys.cards(deckId),
    queryFn: () => fetchCards(deckId),
    refetchInterval: 30_000,
  })
}
