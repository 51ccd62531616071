/**
 * What a room asks and tells those who listen to it, the way Hocuspocus's extensions hook into a
 * document's life: an update about to be applied (checks may refuse it), a client's update
 * applied, updates refused, a commit, the room closed. The room core keeps the protocol, the
 * persist queue and the relay; the checks (size limits, the trust policy) and what follows from
 * an update (who wrote it, repairs, the audit trail, the card's figures, and later versions and
 * notifications) listen here, each in its own file.
 *
 * Listeners are called synchronously, in the order given. A check that throws refuses the
 * update. Any other hook that throws is logged and the others still run: nothing a listener does
 * after the fact can cost an edit, which is stored and relayed whatever they do.
 */
import type * as Y from 'yjs'
import type { RecordedDecision, Sender } from './policy/UpdatePolicy.ts'
import type { RefusalRecord } from './refusalTally.ts'
import type { Logger, Participant } from './types.ts'

/** A client's update before it is applied: what the checks judge. */
export type IncomingUpdate = {
  documentName: string
  /** The room's document, without the update. Checks must not change it. */
  doc: Y.Doc
  update: Uint8Array
  participant: Participant
  /** Who the update is judged as: the participant, an editor judged as a suggester while "everyone suggests" is on. */
  sender: Sender
  /** The answer is locked as agreed text. */
  locked: boolean
  /** Bytes of the document as stored (snapshot plus log): an upper bound of its size. */
  storedBytes: number
}

/** What a check found out about an update it let through, passed on to `updateApplied`. */
export type UpdateFacts = {
  /** Yjs clientIDs that brought their first content with this update: now the sender's. */
  newClients: readonly number[]
  /** Suggestions decided by it (accepted, rejected, withdrawn), with each one's author. */
  decisions: readonly RecordedDecision[]
  /** Paragraph locks it set (true) or lifted (false). */
  blockLocks: readonly boolean[]
}

/** A check's answer: refused with a code from RejectCode, or let through. */
export type UpdateCheck =
  | { ok: true; facts?: Partial<UpdateFacts> }
  | { ok: false; code: string; message: string }

/** What a room gives the listeners made for it alone (see RoomOptions.perRoom). */
export type RoomContext = {
  name: string
  doc: Y.Doc
  logger: Logger
  /** Whether a transaction's origin is a client's connection (not the server's own change). */
  isClientOrigin(origin: unknown): boolean
}

/** A client's update that passed every check and is in the room's document (not stored yet). */
export type AppliedUpdate = UpdateFacts & {
  documentName: string
  doc: Y.Doc
  participant: Participant
  /** The update as the client sent it (history reads which Yjs ids it inserted and deleted). */
  update: Uint8Array
}

/** Refusals of one connection's updates, counted per code and minute (refusalTally.ts). */
export type RefusedUpdates = {
  documentName: string
  participant: Participant
  records: readonly RefusalRecord[]
}

/** A connection that had the room's state left: the person saw the card as the room has it. */
export type ClosedConnection = { documentName: string; doc: Y.Doc; participant: Participant }

/** A room whose updates were just committed. */
export type StoredRoom = { name: string; doc: Y.Doc }

export interface RoomListener {
  /**
   * Before a client's update is applied: refuse it, or let it through (with what was found out
   * on the way). Checks run in order and the first refusal wins; the room's document never sees
   * a refused update.
   */
  checkUpdate?(incoming: IncomingUpdate): UpdateCheck
  /**
   * An update every check let through could not be applied to the room's document after all
   * (Yjs threw): a check that applied it somewhere of its own must forget it.
   */
  checkedUpdateFailed?(incoming: IncomingUpdate): void
  /** A change the server made itself (origin SERVER_ORIGIN) is in the room's document. */
  serverChanged?(update: Uint8Array): void
  /**
   * The update is applied and queued for storage. A listener may change the document here, as
   * the server (origin SERVER_ORIGIN): the change is stored and relayed after the client's.
   */
  updateApplied?(event: AppliedUpdate): void
  updatesRefused?(event: RefusedUpdates): void
  /** After the commit, once the acknowledgements and relays went out. */
  stored?(room: StoredRoom): void
  /**
   * A connection that was sent the room's state closed. The document is the room's: read what
   * is needed before awaiting anything.
   */
  connectionClosed?(event: ClosedConnection): void
  /** The room is unloaded: let go of what was kept for it. */
  roomClosed?(): void
}

/** Origin of the changes the server makes itself (the authors map, repairs). */
export const SERVER_ORIGIN = 'kartu:server'
