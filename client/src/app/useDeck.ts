import { useQuery } from '@tanstack/react-query'
import { fetchDeck } from './api.ts'
import { queryKeys } from './queryKeys.ts'

export function useDeck(deckId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.deck(deckId ?? ''),
    queryFn: () => fetchDeck(deckId ?? ''),
    enabled: deckId !== undefined,
    staleTime: 5 * 60_000,
  })
}
