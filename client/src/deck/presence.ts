/**
 * Reading presence (awareness) states of a deck document. They arrive from the network, so
 * every field is checked before use.
 */
import type { DeckPresence, PresenceUser } from '@kartu/protocol'
import type { PeerState } from '../sync/useAwarenessStates.ts'

export function isPresenceUser(value: unknown): value is PresenceUser {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return (
    typeof record.id === 'string' &&
    typeof record.name === 'string' &&
    typeof record.ministryId === 'string' &&
    typeof record.ministry === 'string' &&
    typeof record.color === 'string'
  )
}

export function readDeckPresence(state: Record<string, unknown>): DeckPresence | null {
  const { user, cardId } = state
  if (!isPresenceUser(user)) return null
  if (cardId !== null && typeof cardId !== 'string') return null
  return { user, cardId }
}

/** Other people by the card they are on; each person once per card (they may have two tabs). */
export function peopleByCard(peers: readonly PeerState[]): Map<string, PresenceUser[]> {
  const byCard = new Map<string, PresenceUser[]>()
  for (const peer of peers) {
    const presence = readDeckPresence(peer.state)
    if (!presence || presence.cardId === null) continue
    const people = byCard.get(presence.cardId) ?? []
    if (!people.some((person) => person.id === presence.user.id)) people.push(presence.user)
    byCard.set(presence.cardId, people)
  }
  for (const people of byCard.values()) people.sort((a, b) => a.name.localeCompare(b.name))
  return byCard
}

/** Other people in an awareness (e.g. a card's), each once, whatever else their state holds. */
export function peopleIn(peers: readonly PeerState[], exceptUserId?: string): PresenceUser[] {
  const people: PresenceUser[] = []
  for (const peer of peers) {
    const user = peer.state.user
    if (!isPresenceUser(user) || user.id === exceptUserId) continue
    if (!people.some((person) => person.id === user.id)) people.push(user)
  }
  return people.sort((a, b) => a.name.localeCompare(b.name))
}
