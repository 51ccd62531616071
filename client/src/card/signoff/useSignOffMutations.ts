import type { AssignmentRequest, CardResponse } from '@kartu/protocol'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { queryKeys } from '../../app/queryKeys.ts'
import { giveClearance, saveAssignment, withdrawClearance } from './signOffApi.ts'

/**
 * What a sign-off call changes besides the card: the deck's list (its status and "waiting"
 * filter), the versions (a clearance keeps the text cleared as one) and the card's timeline.
 * On a refusal the card is asked again: the refusal usually means the page's copy is old (the
 * card went final, a clearance went stale, the ministries changed).
 */
export function useAfterSignOff(cardId: string) {
  const queryClient = useQueryClient()
  const settled = useCallback(
    (response: CardResponse | undefined): void => {
      if (response) {
        queryClient.setQueryData(queryKeys.card(cardId), {
          card: response.card,
          role: response.role,
        })
        void queryClient.invalidateQueries({ queryKey: queryKeys.cards(response.card.deckId) })
      } else {
        void queryClient.invalidateQueries({ queryKey: queryKeys.card(cardId), exact: true })
      }
      void queryClient.invalidateQueries({ queryKey: queryKeys.versions(cardId), exact: true })
      void queryClient.invalidateQueries({ queryKey: queryKeys.activityOf({ cardId }) })
    },
    [cardId, queryClient],
  )
  return settled
}

/** Clears the answer as it is now for the caller's own ministry. */
export function useGiveClearance(cardId: string) {
  const settled = useAfterSignOff(cardId)
  return useMutation({
    mutationFn: () => giveClearance(cardId),
    onSuccess: (response) => settled(response),
    onError: () => settled(undefined),
  })
}

/** Withdraws one ministry's clearance. */
export function useWithdrawClearance(cardId: string) {
  const settled = useAfterSignOff(cardId)
  return useMutation({
    mutationFn: (ministryId: string) => withdrawClearance(cardId, ministryId),
    onSuccess: (response) => settled(response),
    onError: () => settled(undefined),
  })
}

/** The chair's assignment: lead, contributing ministries, due date. */
export function useSaveAssignment(cardId: string) {
  const settled = useAfterSignOff(cardId)
  return useMutation({
    mutationFn: (assignment: AssignmentRequest) => saveAssignment(cardId, assignment),
    onSuccess: (response) => settled(response),
    onError: () => settled(undefined),
  })
}
