import { useQuery } from '@tanstack/react-query'
import { fetchMe } from './api.ts'
import { queryKeys } from './queryKeys.ts'

/** Who is signed in; a 401 error means nobody (the sign-in page follows). */
export function useMeQuery() {
  return useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: 5 * 60_000 })
}
