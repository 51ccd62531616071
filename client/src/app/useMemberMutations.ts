import type { MembersResponse, MemberUpsertRequest } from '@kartu/protocol'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { findByEmail, withMember, withoutMember } from '../deck/members.ts'
import { removeMember, upsertMember } from './api.ts'
import { queryKeys } from './queryKeys.ts'

/**
 * Changes to a deck's members run one after another (a keyboard user who arrows through a role
 * select sends several): the last one sent is the one the server keeps.
 */
const scopeOf = (deckId: string) => ({ id: `members:${deckId}` })

/**
 * Adds a member by email or changes a member's role (chair only; the server checks). A known
 * member shows the new role at once, and the old one again if the server refuses.
 */
export function useUpsertMember(deckId: string, myUserId: string) {
  const queryClient = useQueryClient()
  const key = queryKeys.members(deckId)
  return useMutation({
    scope: scopeOf(deckId),
    mutationFn: (member: MemberUpsertRequest) => upsertMember(deckId, member),
    onMutate: async (request) => {
      await queryClient.cancelQueries({ queryKey: key })
      const previous = queryClient.getQueryData<MembersResponse>(key)
      const known = previous ? findByEmail(previous.members, request.email) : undefined
      if (previous && known) {
        const members = withMember(previous.members, { ...known, role: request.role })
        queryClient.setQueryData<MembersResponse>(key, { members })
      }
      return { previous }
    },
    onError: (_error, _request, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous)
    },
    onSuccess: ({ member }) => {
      queryClient.setQueryData<MembersResponse>(key, (old) =>
        old ? { members: withMember(old.members, member) } : old,
      )
      // A chair who changed their own role: what the deck offers them changes with it.
      if (member.userId === myUserId) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.deck(deckId) })
        void queryClient.invalidateQueries({ queryKey: queryKeys.me })
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  })
}

/** Removes a member from the deck (chair only; the server refuses removing oneself). */
export function useRemoveMember(deckId: string) {
  const queryClient = useQueryClient()
  const key = queryKeys.members(deckId)
  return useMutation({
    scope: scopeOf(deckId),
    mutationFn: (userId: string) => removeMember(deckId, userId),
    onSuccess: (_result, userId) => {
      queryClient.setQueryData<MembersResponse>(key, (old) =>
        old ? { members: withoutMember(old.members, userId) } : old,
      )
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  })
}
