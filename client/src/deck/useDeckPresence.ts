import { deckDocumentName, type PresenceUser } from '@kartu/protocol'
import { useEffect, useMemo } from 'react'
import { usePresenceUser } from '../app/usePresenceUser.ts'
import { type PeerState, useAwarenessStates } from '../sync/useAwarenessStates.ts'
import { useSyncSession } from '../sync/useSyncSession.ts'
import type { ChairFocus } from './follow.ts'
import { peopleByCard } from './presence.ts'

export type DeckPresenceState = {
  /** Other people by the card they are on. */
  byCard: Map<string, PresenceUser[]>
  /** Everyone else's raw presence states (follow mode reads the chair's focus from them). */
  peers: PeerState[]
}

/**
 * Joins the deck document's presence as "on card `cardId`" (null: on the dashboard). The chair also
 * publishes `focus`, what they are showing now, for participants who follow them; everyone else
 * passes undefined and publishes none.
 */
export function useDeckPresence(
  deckId: string | undefined,
  cardId: string | null,
  focus?: ChairFocus | null,
): DeckPresenceState {
  const user = usePresenceUser()
  const session = useSyncSession(user.id, deckId === undefined ? null : deckDocumentName(deckId))
  const focusCardId = focus?.cardId
  const focusSuggestionId = focus?.suggestionId
  const focusView = focus?.view
  const publishesFocus = focus !== undefined
  useEffect(() => {
    if (!session) return
    const state: Record<string, unknown> = { user, cardId }
    if (publishesFocus) {
      state.focus =
        focusCardId === undefined
          ? null
          : {
              cardId: focusCardId,
              suggestionId: focusSuggestionId ?? null,
              view: focusView ?? 'card',
            }
    }
    session.awareness.setLocalState(state)
  }, [session, user, cardId, publishesFocus, focusCardId, focusSuggestionId, focusView])
  const peers = useAwarenessStates(session?.awareness ?? null)
  return useMemo(() => ({ byCard: peopleByCard(peers), peers }), [peers])
}
