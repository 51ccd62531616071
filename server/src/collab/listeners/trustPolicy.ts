/**
 * The trust policy as the room's last check (policy/UpdatePolicy.ts judges; decision 0004): the
 * update is applied to a shadow copy of the document first, and the room sees only what the
 * policy allows. What the policy learns on the way (the clientIDs that are new, the suggestions
 * decided, the paragraph locks) goes on to the listeners of `updateApplied`.
 *
 * The shadow is also where a malformed update is caught: Yjs integrates the part of an update
 * before the damage and only then throws, so an update that throws here is refused whole and the
 * shadow rebuilt. The room's document is never the first to read a client's bytes.
 */
import { DocumentKind, parseDocumentName, RejectCode } from '@kartu/protocol'
import { CARD_ROOTS, DECK_ROOTS, UpdatePolicy, type Verdict } from '../policy/UpdatePolicy.ts'
import type { IncomingUpdate, RoomContext, RoomListener, UpdateCheck } from '../roomListener.ts'

/**
 * `allowedRoots`: the top-level fields clients may write; by default those of the document's
 * kind (a card's or a deck's).
 */
export function trustPolicy(room: RoomContext, allowedRoots?: ReadonlySet<string>): RoomListener {
  const roots =
    allowedRoots ??
    (parseDocumentName(room.name)?.kind === DocumentKind.Deck ? DECK_ROOTS : CARD_ROOTS)
  const policy = new UpdatePolicy(room.doc, roots)
  return {
    checkUpdate({ update, sender, locked }: IncomingUpdate): UpdateCheck {
      let verdict: Verdict
      try {
        verdict = policy.check(update, sender, locked)
      } catch (error) {
        room.logger.debug({ room: room.name, err: error }, 'update failed on the shadow')
        policy.reset()
        return { ok: false, code: RejectCode.MalformedUpdate, message: 'malformed update' }
      }
      if (!verdict.ok) return { ok: false, code: verdict.code, message: verdict.message }
      const { newClients, decisions, blockLocks } = verdict
      return { ok: true, facts: { newClients, decisions, blockLocks } }
    },
    // The shadow holds an update the room's document does not: rebuild it from the room.
    checkedUpdateFailed: () => policy.reset(),
    serverChanged: (update) => policy.applyServerUpdate(update),
    roomClosed: () => policy.destroy(),
  }
}
