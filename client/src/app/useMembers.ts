import { useQuery } from '@tanstack/react-query'
import { fetchMembers } from './api.ts'
import { queryKeys } from './queryKeys.ts'

/**
 * The deck's members and their roles (follow mode needs to know who chairs). The members page
 * asks for a fresh list (`staleTime: 0`); elsewhere a minute-old one will do.
 */
export function useMembers(deckId: string | undefined, { staleTime = 60_000 } = {}) {
  return useQuery({
    queryKey: queryKeys.members(deckId ?? ''),
    queryFn: () => fetchMembers(deckId ?? ''),
    enabled: deckId !== undefined,
    staleTime,
  })
}
