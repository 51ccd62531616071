/**
 * Follow mode, as pure logic. The chair publishes what they are showing in the deck document's
 * awareness (`focus: {cardId, suggestionId}`); a participant who follows is taken to that card and
 * that suggestion. Awareness comes from the network: a focus counts only in the state of a person
 * whose deck role is chair (from the member list), and every field is checked.
 */
import type { PresenceUser } from '@kartu/protocol'
import type { PeerState } from '../sync/useAwarenessStates.ts'
import { isPresenceUser } from './presence.ts'

export type ChairFocus = {
  cardId: string
  suggestionId: string | null
}

export type ChairPresence = {
  user: PresenceUser
  focus: ChairFocus | null
}

const safeId = /^[A-Za-z0-9_-]{1,128}$/

export function readFocus(value: unknown): ChairFocus | null {
  if (typeof value !== 'object' || value === null) return null
  const { cardId, suggestionId } = value as Record<string, unknown>
  if (typeof cardId !== 'string' || !safeId.test(cardId)) return null
  if (suggestionId !== null && (typeof suggestionId !== 'string' || !safeId.test(suggestionId))) {
    return null
  }
  return { cardId, suggestionId }
}

/**
 * The chair to follow among the peers: a chair who shows a card wins over one who does not
 * (a chair may also have the dashboard open in another tab); then the lowest clientID, so that
 * every follower picks the same one.
 */
export function findChair(
  peers: readonly PeerState[],
  chairUserIds: ReadonlySet<string>,
): ChairPresence | null {
  let best: (ChairPresence & { clientId: number }) | null = null
  for (const peer of peers) {
    const user = peer.state.user
    if (!isPresenceUser(user) || !chairUserIds.has(user.id)) continue
    const candidate = { user, focus: readFocus(peer.state.focus), clientId: peer.clientId }
    if (
      best === null ||
      (candidate.focus !== null && best.focus === null) ||
      ((candidate.focus === null) === (best.focus === null) && candidate.clientId < best.clientId)
    ) {
      best = candidate
    }
  }
  return best ? { user: best.user, focus: best.focus } : null
}

export type FollowStep =
  | { type: 'none' }
  | { type: 'navigate'; to: string }
  | { type: 'focus'; suggestionId: string | null }

/** What a follower's view should do now, given where it is. */
export function followStep(
  following: boolean,
  chair: ChairPresence | null,
  hereCardId: string | null,
): FollowStep {
  const focus = chair?.focus
  if (!following || !focus) return { type: 'none' }
  if (focus.cardId !== hereCardId) {
    return { type: 'navigate', to: `/cards/${encodeURIComponent(focus.cardId)}` }
  }
  return { type: 'focus', suggestionId: focus.suggestionId }
}
