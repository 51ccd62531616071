/**
 * What a room tells those who listen to it, the way Hocuspocus's extensions hook into a
 * document's life: a client's update applied, updates refused, a commit. The room core keeps the
 * protocol, the persist queue and the relay; what follows from an update (who wrote it, the
 * audit trail, the card's figures, and later versions and notifications) listens here, each in
 * its own file.
 *
 * Listeners are called synchronously, in the order given. One that throws is logged and the
 * others still run: nothing a listener does can cost an edit, which is stored and relayed
 * whatever they do.
 */
import type * as Y from 'yjs'
import type { RecordedDecision } from './policy/UpdatePolicy.ts'
import type { RefusalRecord } from './refusalTally.ts'
import type { Participant } from './types.ts'

/** A client's update that passed every check and is in the room's document (not stored yet). */
export type AppliedUpdate = {
  documentName: string
  doc: Y.Doc
  participant: Participant
  /** Yjs clientIDs that brought their first content with this update: now the sender's. */
  newClients: readonly number[]
  /** Suggestions decided by it (accepted, rejected, withdrawn), with each one's author. */
  decisions: readonly RecordedDecision[]
  /** Paragraph locks it set (true) or lifted (false). */
  blockLocks: readonly boolean[]
}

/** Refusals of one connection's updates, counted per code and minute (refusalTally.ts). */
export type RefusedUpdates = {
  documentName: string
  participant: Participant
  records: readonly RefusalRecord[]
}

/** A room whose updates were just committed. */
export type StoredRoom = { name: string; doc: Y.Doc }

export interface RoomListener {
  /**
   * The update is applied and queued for storage. A listener may change the document here, as
   * the server (origin SERVER_ORIGIN): the change is stored and relayed after the client's.
   */
  updateApplied?(event: AppliedUpdate): void
  updatesRefused?(event: RefusedUpdates): void
  /** After the commit, once the acknowledgements and relays went out. */
  stored?(room: StoredRoom): void
}

/** Origin of the changes the server makes itself (the authors map, repairs). */
export const SERVER_ORIGIN = 'kartu:server'
