/**
 * Who made a remote change. Yjs names the writer of inserted text (and of formatting): the
 * clients whose clock the change moved on, which are awareness client ids too. A deletion moves
 * no clock; then it is whoever's caret stood where the text went.
 */
import type { PresenceUser } from '@kartu/protocol'
import type { Range } from './nearCaret.ts'

/** Another client on the card, with where its caret is in our document (null: not in the text). */
export type Peer = {
  readonly clientId: number
  readonly user: PresenceUser
  readonly caret: number | null
}

/** How far from a deletion a caret may be and still be the one that deleted. */
export const CARET_SLACK = 2

/**
 * The people who made `change`: the present clients among `writers` (the clients whose clock
 * the change moved on); if it moved none (a deletion), those whose caret is at the change.
 * Each person once. A change written by nobody present (the server, a client gone) is nobody's.
 */
export function whoEdited(
  change: Range,
  peers: readonly Peer[],
  writers: ReadonlySet<number>,
): PresenceUser[] {
  const found =
    writers.size > 0
      ? peers.filter((peer) => writers.has(peer.clientId))
      : peers.filter(
          (peer) =>
            peer.caret !== null &&
            peer.caret >= change.from - CARET_SLACK &&
            peer.caret <= change.to + CARET_SLACK,
        )
  const people: PresenceUser[] = []
  for (const { user } of found) {
    if (!people.some((person) => person.id === user.id)) people.push(user)
  }
  return people
}
