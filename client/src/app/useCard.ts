import { useQuery } from '@tanstack/react-query'
import { fetchCard } from './api.ts'
import { queryKeys } from './queryKeys.ts'

export function useCard(cardId: string) {
  return useQuery({ queryKey: queryKeys.card(cardId), queryFn: () => fetchCard(cardId) })
}
