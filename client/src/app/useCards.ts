import { useQuery } from '@tanstack/react-query'
import { fetchCards, fetchDeckVisits } from './api.ts'
import { queryKeys } from './queryKeys.ts'

/** The deck's cards. Word counts and statuses change on the server, so refresh now and then. */
export function useCards(deckId: string) {
  return useQuery({
    queryKey: queryKeys.cards(deckId),
    queryFn: () => fetchCards(deckId),
    refetchInterval: 30_000,
  })
}

/** The caller's last visit of each of the deck's cards, by card (absent: never opened). */
export function useDeckVisits(deckId: string) {
  return useQuery({
    queryKey: queryKeys.visits(deckId),
    queryFn: () => fetchDeckVisits(deckId),
    refetchInterval: 30_000,
    select: (data) => new Map(data.visits.map((visit) => [visit.cardId, visit])),
  })
}
