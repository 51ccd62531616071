import { deckDocumentName, type PresenceUser } from '@kartu/protocol'
import { useEffect, useMemo } from 'react'
import { usePresenceUser } from '../app/usePresenceUser.ts'
import { useAwarenessStates } from '../sync/useAwarenessStates.ts'
import { useSyncSession } from '../sync/useSyncSession.ts'
import { peopleByCard } from './presence.ts'

/**
 * Joins the deck document's presence as "on card `cardId`" (null: on the dashboard) and returns
 * the other people by the card they are on.
 */
export function useDeckPresence(
  deckId: string | undefined,
  cardId: string | null,
): Map<string, PresenceUser[]> {
  const user = usePresenceUser()
  const session = useSyncSession(user.id, deckId === undefined ? null : deckDocumentName(deckId))
  useEffect(() => {
    session?.awareness.setLocalState({ user, cardId })
  }, [session, user, cardId])
  const peers = useAwarenessStates(session?.awareness ?? null)
  return useMemo(() => peopleByCard(peers), [peers])
}
