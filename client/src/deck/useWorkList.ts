/**
 * The dashboard's work list from the server: the cards that match the filters, and the search
 * over the deck. Filtered lists sit under the deck's cards key, so that whatever refreshes the
 * cards (a card changed, an import) refreshes them too.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { fetchCards, searchDeck } from '../app/api.ts'
import { queryKeys } from '../app/queryKeys.ts'
import { cardListQuery, isFiltered, type WorkListFilters } from './workListFilters.ts'

/** The cards matching the filters; not asked while nothing is filtered (the deck's list is). */
export function useFilteredCards(deckId: string, filters: WorkListFilters) {
  const query = cardListQuery(filters)
  return useQuery({
    queryKey: [...queryKeys.cards(deckId), 'filtered', query] as const,
    queryFn: () => fetchCards(deckId, query),
    enabled: isFiltered(filters),
    refetchInterval: 30_000,
    // Switching a chip keeps the last list on screen until the new one comes.
    placeholderData: keepPreviousData,
  })
}

/** Hits for the words, once they are at least two characters. */
export function useDeckSearch(deckId: string, words: string) {
  const trimmed = words.trim()
  return useQuery({
    queryKey: ['deck', deckId, 'search', trimmed] as const,
    queryFn: () => searchDeck(deckId, trimmed),
    enabled: trimmed.length >= 2,
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  })
}
