import type { DeckUpdateRequest } from '@kartu/protocol'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { updateDeck } from './api.ts'
import { queryKeys } from './queryKeys.ts'

/** PATCH a deck's own settings (chair only; the server checks). */
export function useUpdateDeck(deckId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (update: DeckUpdateRequest) => updateDeck(deckId, update),
    onSuccess: (response) => {
      queryClient.setQueryData(queryKeys.deck(deckId), response)
    },
  })
}
