import type { MembersResponse, MemberUpsertRequest } from '@kartu/protocol'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { withMember, withoutMember } from '../deck/members.ts'
import { removeMember, upsertMember } from './api.ts'
import { queryKeys } from './queryKeys.ts'

/** Adds a member by email or changes a member's role (chair only; the server checks). */
export function useUpsertMember(deckId: string, myUserId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (member: MemberUpsertRequest) => upsertMember(deckId, member),
    onSuccess: ({ member }) => {
      queryClient.setQueryData<MembersResponse>(queryKeys.members(deckId), (old) =>
        old ? { members: withMember(old.members, member) } : old,
      )
      void queryClient.invalidateQueries({ queryKey: queryKeys.members(deckId) })
      // A chair who changed their own role: what the deck offers them changes with it.
      if (member.userId === myUserId) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.deck(deckId) })
        void queryClient.invalidateQueries({ queryKey: queryKeys.me })
      }
    },
  })
}

/** Removes a member from the deck (chair only; the server refuses removing oneself). */
export function useRemoveMember(deckId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (userId: string) => removeMember(deckId, userId),
    onSuccess: (_result, userId) => {
      queryClient.setQueryData<MembersResponse>(queryKeys.members(deckId), (old) =>
        old ? { members: withoutMember(old.members, userId) } : old,
      )
      void queryClient.invalidateQueries({ queryKey: queryKeys.members(deckId) })
    },
  })
}
