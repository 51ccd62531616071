/**
 * Follow mode, as pure logic. The chair publishes what they are showing in the deck document's
 * awareness (`focus: {cardId, suggestionId}`); a participant who follows is taken to that card and
 * that suggestion. Awareness comes from the network: a focus counts only in the state of a person
 * whose deck role is chair (from the member list), and every field is checked.
 */
import type { PresenceUser } from '@kartu/protocol'
import type { PeerState } from '../sync/useAwarenessStates.ts'
import { isPresenceUser } from './presence.ts'

/** Where a card is shown: its page (editing, the review panel) or the presentation view. */
export type CardView = 'card' | 'present'

export type ChairFocus = {
  cardId: string
  suggestionId: string | null
  /** The view the chair shows the card in; a follower is kept in the same one. */
  view: CardView
}

/** Where this view is: a card in one of its views, or no card (the dashboard). */
export type Here = { cardId: string; view: CardView } | null

export type ChairPresence = {
  user: PresenceUser
  focus: ChairFocus | null
}

const safeId = /^[A-Za-z0-9_-]{1,128}$/

export function readFocus(value: unknown): ChairFocus | null {
  if (typeof value !== 'object' || value === null) return null
  const { cardId, suggestionId, view } = value as Record<string, unknown>
  if (typeof cardId !== 'string' || !safeId.test(cardId)) return null
  if (suggestionId !== null && (typeof suggestionId !== 'string' || !safeId.test(suggestionId))) {
    return null
  }
  // A client from before views were published sends none: its chair is on the card page.
  if (view !== undefined && view !== 'card' && view !== 'present') return null
  return { cardId, suggestionId, view: view ?? 'card' }
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

/** The address of a card in a view. */
export function cardPath(cardId: string, view: CardView): string {
  const path = `/cards/${encodeURIComponent(cardId)}`
  return view === 'present' ? `${path}/present` : path
}

/**
 * What a follower's view should do now, given where it is: go to the chair's card, in the view
 * the chair shows it in (the projector view when the chair presents, the card page when the
 * chair edits), then to the suggestion the chair focuses.
 */
export function followStep(
  following: boolean,
  chair: ChairPresence | null,
  here: Here,
): FollowStep {
  const focus = chair?.focus
  if (!following || !focus) return { type: 'none' }
  if (focus.cardId !== here?.cardId || focus.view !== here.view) {
    return { type: 'navigate', to: cardPath(focus.cardId, focus.view) }
  }
  return { type: 'focus', suggestionId: focus.suggestionId }
}
