import type { FocalPersonsResponse } from '@kartu/protocol'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { fetchFocalPersons, saveFocalPersons } from '../app/api.ts'
import { queryKeys } from '../app/queryKeys.ts'
import { withFocalList } from './focalPersons.ts'

/** Each ministry's focal persons in the deck, fresh each time the members page opens. */
export function useFocalPersons(deckId: string) {
  return useQuery({
    queryKey: queryKeys.focalPersons(deckId),
    queryFn: () => fetchFocalPersons(deckId),
    staleTime: 0,
  })
}

/** One ministry's new list of focal persons, whole (focalPersons.ts `withFocalToggled`). */
export type FocalChange = { ministryId: string; userIds: string[] }

/**
 * Names a ministry's focal persons (the chair; the server checks). The tick shows at once. Each
 * list is made from the cache, ticks included, so changes run one after another: two quick ticks
 * in one ministry must reach the server in the order they were made.
 */
export function useSaveFocalPersons(deckId: string) {
  const queryClient = useQueryClient()
  const key = queryKeys.focalPersons(deckId)
  const mutationKey = ['focal-persons', deckId]
  // This change is still counted while its own callbacks run: 1 means no later one waits.
  const isLast = () => queryClient.isMutating({ mutationKey }) <= 1
  return useMutation({
    mutationKey,
    scope: { id: `focal-persons:${deckId}` },
    mutationFn: ({ ministryId, userIds }: FocalChange) =>
      saveFocalPersons(deckId, ministryId, { userIds }),
    onMutate: async ({ ministryId, userIds }) => {
      await queryClient.cancelQueries({ queryKey: key })
      queryClient.setQueryData<FocalPersonsResponse>(key, (old) =>
        old ? { focalPersons: withFocalList(old.focalPersons, ministryId, userIds) } : old,
      )
    },
    onSuccess: (response) => {
      // A later tick shows in the cache already; the server's answer to it will be kept instead.
      if (isLast()) queryClient.setQueryData(key, response)
    },
    onError: () => {
      // Refused: the lists as the server has them (a later change's answer will say it too).
      if (isLast()) void queryClient.invalidateQueries({ queryKey: key })
    },
  })
}
