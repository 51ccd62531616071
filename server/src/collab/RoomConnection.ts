/** One connection's view inside a room: who it is, what it announced, what it was refused. */
import { RefusalTally } from './refusalTally.ts'
import type { Participant, SocketLike } from './types.ts'

export class RoomConnection {
  /** Document-changing messages received on this connection (Persisted/Rejected count these). */
  receivedSeq = 0
  /** Updates refused on this connection. */
  rejections = 0
  /** The same refusals, counted per code and minute for the audit log. */
  readonly refusals = new RefusalTally()
  /**
   * Awareness clientIDs this connection has announced; removed when it leaves. One at most: a
   * y-websocket client announces its document's clientID and no other.
   */
  readonly awarenessClients = new Set<number>()
  /** Awareness messages received on this connection (a reconnect's first is its own state). */
  awarenessMessages = 0
  /**
   * What the greeting's SyncStep2 carried (its state vector), when one was sent: the answer to
   * the client's SyncStep1 leaves it out, as the client holds it by then.
   */
  greeted: Map<number, number> | null = null
  /** The room's state went out to it (a SyncStep2): the person has seen the card. */
  synced = false

  constructor(
    readonly socket: SocketLike,
    readonly participant: Participant,
  ) {}
}
