import { Role } from '@kartu/protocol'
import { useEffect, useMemo } from 'react'
import { useNavigate } from 'react-router'
import { useMembers } from '../app/useMembers.ts'
import type { PeerState } from '../sync/useAwarenessStates.ts'
import { type ChairPresence, findChair, followStep, type Here } from './follow.ts'
import { useFollowing } from './followStore.ts'

export type FollowChair = {
  chair: ChairPresence | null
  following: boolean
  /** Following stopped because the person typed: the toggle says so. */
  stoppedByTyping: boolean
  setFollowing: (following: boolean) => void
  /** Called when the person types: their own work takes over from the chair's view. */
  stopForTyping: () => void
}

/**
 * Follows the chair while the participant wants to: navigates to the chair's card, and reports
 * the chair's focused suggestion on this card through `onFocus`.
 */
export function useFollowChair(
  deckId: string | undefined,
  peers: readonly PeerState[],
  here: Here,
  onFocus?: (suggestionId: string | null) => void,
): FollowChair {
  const members = useMembers(deckId)
  const { following, stoppedByTyping, setFollowing, stopForTyping } = useFollowing(deckId)
  const chairIds = useMemo(
    () =>
      new Set(
        (members.data?.members ?? [])
          .filter((member) => member.role === Role.Chair)
          .map((member) => member.userId),
      ),
    [members.data],
  )
  const chair = useMemo(() => findChair(peers, chairIds), [peers, chairIds])
  const step = followStep(following, chair, here)
  const navigate = useNavigate()
  const target = step.type === 'navigate' ? step.to : null
  const focusId = step.type === 'focus' ? step.suggestionId : undefined
  useEffect(() => {
    if (target !== null) void navigate(target)
  }, [navigate, target])
  useEffect(() => {
    if (focusId !== undefined) onFocus?.(focusId)
  }, [focusId, onFocus])
  return { chair, following, stoppedByTyping, setFollowing, stopForTyping }
}
