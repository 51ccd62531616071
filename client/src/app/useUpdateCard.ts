import type { CardUpdateRequest } from '@kartu/protocol'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { updateCard } from './api.ts'
import { queryKeys } from './queryKeys.ts'

/** PATCH a card's metadata (chair only; the server checks). */
export function useUpdateCard(cardId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (update: CardUpdateRequest) => updateCard(cardId, update),
    onSuccess: (response) => {
      queryClient.setQueryData(queryKeys.card(cardId), response)
      void queryClient.invalidateQueries({ queryKey: queryKeys.cards(response.card.deckId) })
    },
  })
}
