/**
 * A room: one loaded Yjs document, its awareness, and the connections editing it.
 *
 * Flow of a client update: read -> check the sender may write -> apply to the room's Y.Doc ->
 * queue it for storage -> after the commit, relay it to every other connection and send the
 * sender Persisted(seq). Relaying waits for the disk as the acknowledgement does (decision 0005):
 * after a crash no client holds another person's edit that the server lacks.
 *
 * What follows from an update (who wrote it, the audit trail, the card's figures) is not here:
 * it listens to the room (roomListener.ts).
 */

import {
  CloseCode,
  DocumentKind,
  encodePermission,
  encodePersisted,
  encodeRejected,
  MessageType,
  parseDocumentName,
  RejectCode,
  Role,
  SyncMessageType,
} from '@kartu/protocol'
import { AUTHORS_FIELD, type Author, cardProblems, getAnswerSchema } from '@kartu/schema'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { DocumentStore, StoredDocument } from '../store/types.ts'
import { readAwarenessEntries, withIdentity, writeAwarenessEntries } from './awarenessIdentity.ts'
import { authorBinding } from './listeners/authorBinding.ts'
import {
  CARD_ROOTS,
  DECK_ROOTS,
  type Sender,
  UpdatePolicy,
  type Verdict,
} from './policy/UpdatePolicy.ts'
import { type RefusalRecord, RefusalTally } from './refusalTally.ts'
import { refusedUpdateFields } from './refusedUpdateLog.ts'
import { restoreDocument } from './restoreDocument.ts'
import { type RoomListener, SERVER_ORIGIN } from './roomListener.ts'
import { SuggestionRepair } from './suggestionRepair.ts'
import { writesWord } from './testRefusal.ts'
import type { Logger, Participant, SocketLike } from './types.ts'

/** One connection's view inside a room. */
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
  /**
   * What the greeting's SyncStep2 carried (its state vector), when one was sent: the answer to
   * the client's SyncStep1 leaves it out, as the client holds it by then.
   */
  greeted: Map<number, number> | null = null

  constructor(
    readonly socket: SocketLike,
    readonly participant: Participant,
  ) {}
}

type PersistEntry = {
  /** A raw client update to append, or null for an acknowledgement that wrote nothing. */
  update: Uint8Array | null
  ack: { connection: RoomConnection; seq: number } | null
  /** Updates to relay once this entry is committed, and who must not get them back. */
  relay: Array<{ update: Uint8Array; origin: unknown }>
  /** Runs once everything queued before it is committed (a sync reply waiting for storage). */
  afterCommit?: () => void
}

export type RoomOptions = {
  store: DocumentStore
  logger: Logger
  /** Compact the log into a snapshot after this many appended updates. */
  compactAfterUpdates: number
  /**
   * What listens to the room (roomListener.ts): the audit trail, the card's figures. The binding
   * of clientIDs to their authors always listens first: the others read it.
   */
  listeners?: readonly RoomListener[]
  /** Top-level fields clients may write; by default those of the document's kind. */
  allowedRoots?: ReadonlySet<string>
  /** Size limits (defaults: no limit), see Config. */
  limits?: Partial<RoomLimits>
  /** Test only (KARTU_TEST_REFUSE_TEXT): refuse updates that write this word (testRefusal.ts). */
  testRefuseText?: string
}

export type RoomLimits = {
  maxUpdateBytes: number
  docWarnBytes: number
  docMaxBytes: number
  /** Largest presence state one connection may announce (bytes of its JSON). */
  presenceMaxStateBytes: number
  /** All presence states of the room together (bytes of their JSON). */
  presenceMaxRoomBytes: number
}

/** Roles whose updates are checked by the policy; a viewer's are refused outright. */
const WRITE_ROLES: ReadonlySet<string> = new Set([
  Role.Chair,
  Role.Editor,
  Role.Suggester,
  Role.Commenter,
])
/** Refused updates after which a connection is closed: a client that keeps trying is broken. */
/**
 * The largest answer sent whole in the greeting. Cards are a few kilobytes; a larger document is
 * synced the usual way, so that a reconnecting client is not sent what it already holds.
 */
const GREETING_STATE_MAX_BYTES = 256 * 1024
const MAX_REJECTIONS = 50
/** Refusals per connection logged at warn level. */
const LOGGED_REJECTIONS = 3
const RETRY_BASE_MS = 100
/** Relayed updates merged into one message at most (see sendAfterCommit). */
const MERGE_GROUP = 64
const RETRY_MAX_MS = 5000

export class Room {
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  readonly connections = new Set<RoomConnection>()
  private readonly policy: UpdatePolicy
  private readonly listeners: readonly RoomListener[]
  /** Keeps suggestions whole when two people change the same words at once (cards only). */
  private readonly repairs: SuggestionRepair | null
  /** Agreed text: every change to the answer is refused, the chair's too, until unlocked. */
  private locked = false
  /**
   * "Everyone suggests" (the chair's rakor switch, the card's own or its deck's): editors' updates
   * are judged as a suggester's, so their changes reach the answer only as suggestions.
   */
  private suggestOnly = false

  private queue: PersistEntry[] = []
  private flushing = false
  private flushScheduled = false
  private retryDelay = 0
  private retryTimer: NodeJS.Timeout | null = null
  private lastStoredSeq: number
  /** Stored bytes of this document: snapshot plus log, an upper bound of its encoded size. */
  private storedBytes: number
  private warnedSize = false
  private updatesSinceCompaction: number
  private compaction: Promise<void> | null = null
  private drainWaiters: Array<() => void> = []
  private destroyed = false
  /** Who announced each clientID's presence in this room (so echoes are told from forgeries). */
  private readonly presenceOwners = new Map<number, string>()
  /** Bytes of each presence state held (by clientID), and their sum: the room's presence cap. */
  private readonly presenceBytes = new Map<number, number>()
  private presenceTotal = 0

  private constructor(
    readonly name: string,
    stored: StoredDocument,
    private readonly options: RoomOptions,
  ) {
    this.doc = restoreDocument(name, stored, options.logger)
    this.listeners = [authorBinding, ...(options.listeners ?? [])]
    this.lastStoredSeq = stored.lastSeq
    this.storedBytes =
      (stored.snapshot?.length ?? 0) + stored.updates.reduce((sum, u) => sum + u.length, 0)
    this.updatesSinceCompaction = stored.updates.length
    this.policy = new UpdatePolicy(
      this.doc,
      options.allowedRoots ??
        (parseDocumentName(name)?.kind === DocumentKind.Deck ? DECK_ROOTS : CARD_ROOTS),
    )
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    // The server has no presence of its own.
    this.awareness.setLocalState(null)
    this.doc.on('update', this.handleDocUpdate)
    this.awareness.on('update', this.handleAwarenessUpdate)
    const isCard = parseDocumentName(name)?.kind === DocumentKind.Card
    this.repairs = isCard ? new SuggestionRepair(this.doc) : null
    if (this.repairs) {
      const repairs = this.repairs
      this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
        if (transaction.origin instanceof RoomConnection) repairs.touched(transaction)
      })
    }
    if (isCard) {
      // After the first sync has gone out, not before: a whole-card check costs a few
      // milliseconds on a large card, and the person opening it should not wait for an alert.
      setImmediate(() => this.alertIfMisshapen())
    }
  }

  /**
   * A card stored before the server checked every update's shape (or written around it) is
   * dangerous to open: editors delete what their schema cannot read. Say so loudly; the fix is
   * `pnpm kartu doctor --repair`, which keeps every character of text.
   */
  private alertIfMisshapen(): void {
    if (this.destroyed) return
    const problems = cardProblems(getAnswerSchema(), this.doc)
    if (problems.length === 0) return
    this.options.logger.error(
      { room: this.name, problems: problems.slice(0, 10), count: problems.length, alert: true },
      'ALERT: a stored card does not fit its schema; stop the server and run `pnpm kartu doctor --repair`',
    )
  }

  /** Loads the stored document. A failure rejects: it never yields an empty room. */
  static async load(name: string, options: RoomOptions): Promise<Room> {
    const stored = await options.store.loadDocument(name)
    return new Room(name, stored, options)
  }

  addConnection(socket: SocketLike, participant: Participant): RoomConnection {
    const connection = new RoomConnection(socket, participant)
    this.connections.add(connection)
    // Start the sync: our state vector; the client answers with what we lack (SyncStep2).
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    encoding.writeVarUint(encoder, SyncMessageType.Step1)
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(this.doc))
    socket.send(encoding.toUint8Array(encoder))
    this.greetWithState(connection)
    socket.send(encodePermission(participant.role, this.locked, this.suggestOnly))
    const states = this.awareness.getStates()
    if (states.size > 0) {
      socket.send(
        awarenessMessage(
          awarenessProtocol.encodeAwarenessUpdate(this.awareness, Array.from(states.keys())),
        ),
      )
    }
    return connection
  }

  /**
   * Sends the whole stored answer (a SyncStep2) without waiting for the client's SyncStep1. A
   * y-websocket client counts itself synced at the first SyncStep2 it reads, so the card is ready
   * one round trip after the socket opens instead of two: on a slow mobile network that is the
   * larger part of opening a card. The client's SyncStep1 is still answered, with only what the
   * greeting did not carry (see handleSync).
   */
  private greetWithState(connection: RoomConnection): void {
    // ORDER MATTERS, as for every SyncStep2: encoded from what the room holds now, sent once
    // all of it is stored.
    const state = Y.encodeStateAsUpdate(this.doc)
    if (state.byteLength > GREETING_STATE_MAX_BYTES) return
    connection.greeted = Y.decodeStateVector(Y.encodeStateVector(this.doc))
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    encoding.writeVarUint(encoder, SyncMessageType.Step2)
    encoding.writeVarUint8Array(encoder, state)
    const greeting = encoding.toUint8Array(encoder)
    const send = () => {
      if (this.connections.has(connection)) connection.socket.send(greeting)
    }
    if (this.isDrained) send()
    else this.enqueue({ update: null, ack: null, relay: [], afterCommit: send })
  }

  get isLocked(): boolean {
    return this.locked
  }

  /** Locks or unlocks the answer and tells every connection. */
  setLocked(locked: boolean): void {
    if (this.locked === locked) return
    this.locked = locked
    for (const connection of this.connections) this.sendPermission(connection)
  }

  get isSuggestOnly(): boolean {
    return this.suggestOnly
  }

  /** Turns "everyone suggests" on or off for this card and tells every connection. */
  setSuggestOnly(suggestOnly: boolean): void {
    if (this.suggestOnly === suggestOnly) return
    this.suggestOnly = suggestOnly
    for (const connection of this.connections) this.sendPermission(connection)
  }

  /** Tells a connection its current role, the lock and "everyone suggests" (after a change). */
  sendPermission(connection: RoomConnection): void {
    connection.socket.send(
      encodePermission(connection.participant.role, this.locked, this.suggestOnly),
    )
  }

  /**
   * The role the policy judges a participant's update as. While "everyone suggests" is on, an
   * editor is judged as a suggester: the answer may change only by their own suggestions. Done
   * here, not in the policy, so that the policy keeps one meaning per role.
   */
  private judgedAs(participant: Participant): Sender {
    const role =
      this.suggestOnly && participant.role === Role.Editor ? Role.Suggester : participant.role
    return { userId: participant.userId, role }
  }

  removeConnection(connection: RoomConnection): void {
    if (!this.connections.delete(connection)) return
    this.auditRefusals(connection, connection.refusals.flush())
    if (connection.rejections > LOGGED_REJECTIONS) {
      this.options.logger.warn(
        { room: this.name, user: connection.participant.userId, refused: connection.rejections },
        'connection left after refused updates',
      )
    }
    if (connection.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(
        this.awareness,
        Array.from(connection.awarenessClients),
        null,
      )
    }
  }

  /** Handles one binary message from a connection. Throws only on malformed framing. */
  handleMessage(connection: RoomConnection, message: Uint8Array): void {
    const decoder = decoding.createDecoder(message)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync:
        this.handleSync(connection, decoder)
        return
      case MessageType.Awareness:
        this.handleAwareness(connection, decoding.readVarUint8Array(decoder))
        return
      case MessageType.QueryAwareness: {
        const states = Array.from(this.awareness.getStates().keys())
        connection.socket.send(
          awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)),
        )
        return
      }
      default:
        // Unknown types are ignored, as y-websocket does, so that newer clients keep working.
        this.options.logger.debug({ room: this.name, type }, 'ignored message type')
    }
  }

  private handleSync(connection: RoomConnection, decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder)
    if (syncType === SyncMessageType.Step1) {
      const stateVector = alsoHeld(decoding.readVarUint8Array(decoder), connection.greeted)
      // ORDER MATTERS: the answer is encoded now, from what the room holds now, all of which is
      // queued before it; it is sent once that is stored, for the same reason updates are relayed
      // only after the commit. Encoded at send time instead, it would also carry updates applied
      // while the commit ran, which are not stored yet. Those reach this connection as relays.
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.Sync)
      encoding.writeVarUint(encoder, SyncMessageType.Step2)
      encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, stateVector))
      const answer = encoding.toUint8Array(encoder)
      const reply = () => {
        if (this.connections.has(connection)) connection.socket.send(answer)
      }
      if (this.isDrained) reply()
      else this.enqueue({ update: null, ack: null, relay: [], afterCommit: reply })
      return
    }
    if (syncType !== SyncMessageType.Step2 && syncType !== SyncMessageType.Update) {
      throw new Error(`unknown sync message type ${syncType}`)
    }
    connection.receivedSeq++
    const seq = connection.receivedSeq
    const update = decoding.readVarUint8Array(decoder)
    if (!WRITE_ROLES.has(connection.participant.role)) {
      this.reject(
        connection,
        seq,
        RejectCode.ReadOnly,
        `role ${connection.participant.role} may not edit`,
        update,
      )
      return
    }
    this.applyClientUpdate(connection, seq, update)
  }

  /** Refuses an update: not applied, not relayed; the sender is told, the refusal logged. */
  private reject(
    connection: RoomConnection,
    seq: number,
    code: string,
    message: string,
    update: Uint8Array,
  ): void {
    connection.rejections++
    // A hostile client can cause thousands of refusals: the first few are logged, the rest are
    // counted (and audited); the count is logged when the connection leaves.
    const entry = { room: this.name, user: connection.participant.userId, code, seq }
    if (connection.rejections <= LOGGED_REJECTIONS) {
      // An honest client's refusal is a bug: log what reproduces it (the update, and the state
      // vector of the document it met, taken now, before anything else is applied).
      this.options.logger.warn(
        { ...entry, ...refusedUpdateFields(update, this.doc) },
        'update refused',
      )
    } else this.options.logger.debug(entry, 'update refused')
    this.auditRefusals(connection, connection.refusals.refused(code, message, seq))
    connection.socket.send(encodeRejected(seq, code, message))
    if (connection.rejections >= MAX_REJECTIONS) {
      connection.socket.close(CloseCode.TooManyRejections, 'too many refused updates')
    }
  }

  private applyClientUpdate(connection: RoomConnection, seq: number, update: Uint8Array): void {
    const { maxUpdateBytes, docMaxBytes } = this.options.limits ?? {}
    if (maxUpdateBytes !== undefined && update.length > maxUpdateBytes) {
      this.reject(
        connection,
        seq,
        RejectCode.UpdateTooLarge,
        `update over ${maxUpdateBytes} bytes`,
        update,
      )
      return
    }
    if (docMaxBytes !== undefined && this.storedBytes + update.length > docMaxBytes) {
      this.options.logger.error(
        { room: this.name, bytes: this.storedBytes, alert: true },
        'ALERT: document at its size limit; growth refused',
      )
      this.reject(
        connection,
        seq,
        RejectCode.DocumentTooLarge,
        'the document is at its size limit',
        update,
      )
      return
    }
    // Decode first, so that a malformed update is refused whole: Yjs would otherwise integrate
    // the part before the damage and only then throw.
    try {
      Y.decodeUpdate(update)
    } catch (error) {
      this.options.logger.debug({ room: this.name, err: error }, 'malformed update')
      this.reject(connection, seq, RejectCode.MalformedUpdate, 'malformed update', update)
      return
    }
    // Test only, and before the policy (which never sees an update refused here): see
    // testRefusal.ts. Off unless KARTU_TEST_REFUSE_TEXT is set.
    const refuseWord = this.options.testRefuseText
    if (refuseWord && writesWord(this.doc, update, refuseWord)) {
      this.reject(
        connection,
        seq,
        RejectCode.TestRefusal,
        'refused by the test setting KARTU_TEST_REFUSE_TEXT',
        update,
      )
      return
    }
    // The policy applies the update to a shadow copy first; the room sees only what it allows.
    let verdict: Verdict
    try {
      verdict = this.policy.check(update, this.judgedAs(connection.participant), this.locked)
    } catch (error) {
      this.options.logger.debug({ room: this.name, err: error }, 'update failed on the shadow')
      this.policy.reset()
      this.reject(connection, seq, RejectCode.MalformedUpdate, 'malformed update', update)
      return
    }
    if (!verdict.ok) {
      this.reject(connection, seq, verdict.code, verdict.message, update)
      return
    }
    const before = this.queue.length
    try {
      Y.applyUpdate(this.doc, update, connection)
    } catch (error) {
      this.options.logger.debug({ room: this.name, err: error }, 'update failed to apply')
      this.reject(connection, seq, RejectCode.MalformedUpdate, 'malformed update', update)
      // Yjs may have integrated part of the update before it threw (a cut in the delete set):
      // that part is in the doc and was relayed, so store it like a server-made change. Without
      // a flush its queue entry would wait forever, and so would drain() and the room's unload.
      if (this.queue.length > before) this.scheduleFlush()
      return
    }
    // Store what the client sent, not what Yjs integrated: an update whose dependencies have not
    // arrived yet stays pending in the doc, and must still be on disk before we say Persisted.
    const changed =
      this.queue.length > before ||
      this.doc.store.pendingStructs !== null ||
      this.doc.store.pendingDs !== null
    const relay = this.queue.splice(before).flatMap((entry) => entry.relay)
    this.enqueue({ update: changed ? update : null, ack: { connection, seq }, relay })
    // The binding listens first: the repair below, and the other listeners, read it. All of it
    // as the server's own change, relayed and stored after the client's update, in one flush.
    this.tell('updateApplied', {
      documentName: this.name,
      doc: this.doc,
      participant: connection.participant,
      newClients: verdict.newClients,
      decisions: verdict.decisions,
      blockLocks: verdict.blockLocks,
    })
    // Keeps suggestions whole where Yjs stretched a mark over someone else's concurrent letters.
    this.repairs?.repair(SERVER_ORIGIN)
  }

  private auditRefusals(connection: RoomConnection, records: RefusalRecord[]): void {
    if (records.length === 0) return
    this.tell('updatesRefused', {
      documentName: this.name,
      participant: connection.participant,
      records,
    })
  }

  /**
   * Calls one hook of every listener, in order. A listener that throws is logged and the rest
   * still run: what they do follows from an edit that is kept whatever they do.
   */
  private tell<K extends keyof RoomListener>(
    hook: K,
    event: Parameters<NonNullable<RoomListener[K]>>[0],
  ): void {
    for (const listener of this.listeners) {
      const call = listener[hook] as ((event: unknown) => void) | undefined
      if (!call) continue
      try {
        call.call(listener, event)
      } catch (error) {
        this.options.logger.error({ room: this.name, err: error, hook }, 'room listener failed')
      }
    }
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    // Relayed only after the commit (see flush): no client ever holds another person's edit that
    // a crash could take from the server. Otherwise, after a restart, clients would send that
    // edit back under its author's clientID, and the server could not tell it from a forgery.
    // A marker only: applyClientUpdate replaces it by the raw client update. Updates made by the
    // server itself (origin not a connection) are stored as they are, and mirrored in the shadow.
    if (origin === SERVER_ORIGIN) this.policy.applyServerUpdate(update)
    this.queue.push({ update, ack: null, relay: [{ update, origin }] })
    if (!(origin instanceof RoomConnection)) this.scheduleFlush()
  }

  private handleAwareness(connection: RoomConnection, update: Uint8Array): void {
    const limits = this.options.limits
    const accepted = []
    const sizes = new Map<number, number>()
    let total = this.presenceTotal
    for (const entry of readAwarenessEntries(update)) {
      const claim = this.presenceClaim(connection, entry.clientId, entry.state)
      if (claim === 'skip') continue
      if (claim === 'foreign') {
        // A clientID no one in this room ever announced, from a connection that has its own:
        // not an echo (y-websocket sends back the states it receives), a forgery or a flood.
        this.refusePresence(connection, 'presence for a clientID that is not its own')
        return
      }
      // Claimed at once: a second new clientID in the same message is not the connection's.
      connection.awarenessClients.add(entry.clientId)
      // A state larger than a person's caret and name need, or more than the room can hand
      // every newcomer: the message is dropped whole and the connection closed (4422).
      const bytes = Buffer.byteLength(entry.state)
      if (limits?.presenceMaxStateBytes !== undefined && bytes > limits.presenceMaxStateBytes) {
        this.refusePresence(
          connection,
          `a presence state over ${limits.presenceMaxStateBytes} bytes`,
        )
        return
      }
      const state = withIdentity(entry.state, connection.participant.presence)
      if (state === undefined) continue
      const size = state === 'null' ? 0 : Buffer.byteLength(state)
      total += size - (sizes.get(entry.clientId) ?? this.presenceBytes.get(entry.clientId) ?? 0)
      sizes.set(entry.clientId, size)
      if (limits?.presenceMaxRoomBytes !== undefined && total > limits.presenceMaxRoomBytes) {
        this.options.logger.warn({ room: this.name, bytes: total }, 'presence of the room is full')
        this.refusePresence(connection, 'the presence of this document is full')
        return
      }
      accepted.push({ ...entry, state })
    }
    if (accepted.length === 0) return
    for (const entry of accepted)
      this.presenceOwners.set(entry.clientId, connection.participant.userId)
    for (const [clientId, size] of sizes) this.setPresenceBytes(clientId, size)
    awarenessProtocol.applyAwarenessUpdate(
      this.awareness,
      writeAwarenessEntries(accepted),
      connection,
    )
  }

  /**
   * Whose presence an awareness entry is. A connection announces one clientID of its own, the
   * first it announces that no other person announced in this room. y-websocket also sends back
   * every state it receives (for its BroadcastChannel peers): those echoes, of clientIDs the room
   * knows, are skipped without a word; a clientID the room never saw, from a connection that has
   * its own already, is refused.
   */
  private presenceClaim(
    connection: RoomConnection,
    clientId: number,
    state: string,
  ): 'own' | 'skip' | 'foreign' {
    const own = connection.awarenessClients.values().next().value
    if (own === clientId) return 'own'
    if (this.isControlledByOther(connection, clientId)) return 'skip'
    const userId = connection.participant.userId
    const bound = this.doc.getMap<Author>(AUTHORS_FIELD).get(String(clientId))
    if (bound && bound.userId !== userId) return 'skip'
    const seenBy = this.presenceOwners.get(clientId)
    if (own !== undefined) return seenBy === undefined ? 'foreign' : 'skip'
    // The connection has no clientID yet: a state (not a departure) under a clientID that is
    // new to the room, or was this person's before (a reconnect), becomes its own.
    if (state === 'null' || (seenBy !== undefined && seenBy !== userId)) return 'skip'
    return 'own'
  }

  private setPresenceBytes(clientId: number, size: number): void {
    this.presenceTotal += size - (this.presenceBytes.get(clientId) ?? 0)
    if (size === 0) this.presenceBytes.delete(clientId)
    else this.presenceBytes.set(clientId, size)
  }

  private refusePresence(connection: RoomConnection, reason: string): void {
    this.options.logger.warn(
      { room: this.name, user: connection.participant.userId, reason },
      'presence refused; closing the connection',
    )
    connection.socket.close(CloseCode.PresenceRefused, reason)
  }

  private isControlledByOther(connection: RoomConnection, clientId: number): boolean {
    for (const other of this.connections) {
      if (other !== connection && other.awarenessClients.has(clientId)) return true
    }
    return false
  }

  private readonly handleAwarenessUpdate = (changes: {
    added: number[]
    updated: number[]
    removed: number[]
  }): void => {
    // States that left (their connection closed, or they timed out) no longer count.
    for (const clientId of changes.removed) this.setPresenceBytes(clientId, 0)
    const changed = [...changes.added, ...changes.updated, ...changes.removed]
    const message = awarenessMessage(
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed),
    )
    for (const connection of this.connections) connection.socket.send(message)
  }

  private enqueue(entry: PersistEntry): void {
    this.queue.push(entry)
    this.scheduleFlush()
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing || this.retryTimer) return
    this.flushScheduled = true
    queueMicrotask(() => {
      this.flushScheduled = false
      void this.flush()
    })
  }

  /**
   * Stores the queued updates, then acknowledges them. One flush at a time, so acknowledgements
   * go out in the order the messages arrived. On a storage error nothing is acknowledged; the
   * batch goes back to the head of the queue and is retried with backoff.
   */
  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) {
      this.notifyDrained()
      return
    }
    this.flushing = true
    const batch = this.queue
    this.queue = []
    // Every update applied so far is either stored already or in this batch, so once the batch
    // is committed the document as of now is stored: its state vector is the persisted one.
    const stateVector = Y.encodeStateVector(this.doc)
    const updates = batch.flatMap((entry) => (entry.update ? [entry.update] : []))
    try {
      if (updates.length > 0) {
        this.lastStoredSeq = await this.options.store.appendUpdates(this.name, updates)
        this.updatesSinceCompaction += updates.length
        this.storedBytes += updates.reduce((sum, u) => sum + u.length, 0)
        const warnAt = this.options.limits?.docWarnBytes
        if (warnAt !== undefined && this.storedBytes > warnAt && !this.warnedSize) {
          this.warnedSize = true
          this.options.logger.warn({ room: this.name, bytes: this.storedBytes }, 'large document')
        }
      }
    } catch (error) {
      this.queue = batch.concat(this.queue)
      this.flushing = false
      this.retryDelay = Math.min(Math.max(this.retryDelay * 2, RETRY_BASE_MS), RETRY_MAX_MS)
      this.options.logger.error(
        { room: this.name, err: error, retryInMs: this.retryDelay },
        'storing updates failed; nothing acknowledged, will retry',
      )
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null
        void this.flush()
      }, this.retryDelay)
      return
    }
    this.retryDelay = 0
    this.flushing = false
    const acks = new Map<RoomConnection, number>()
    for (const entry of batch) {
      if (entry.ack) acks.set(entry.ack.connection, entry.ack.seq)
      entry.afterCommit?.()
    }
    this.sendAfterCommit(
      batch.flatMap((entry) => entry.relay),
      acks,
      stateVector,
    )
    if (updates.length > 0) {
      this.tell('stored', this)
      if (this.updatesSinceCompaction >= this.options.compactAfterUpdates) {
        // In the background: the next flush does not wait for it.
        setImmediate(() => void this.compact())
      }
    }
    if (this.queue.length > 0) void this.flush()
    else this.notifyDrained()
  }

  /**
   * After a commit: its updates to everyone but their senders, then Persisted to those who sent
   * something, each connection's messages in one write (SocketLike.batch).
   *
   * One update (the common case at human typing speed) goes out as it came. Several are merged
   * (Y.mergeUpdates), in groups of at most MERGE_GROUP: under load a commit holds many updates,
   * and a message per update and connection is what both the server and every browser would
   * spend their time on. A group goes to everyone who did not send all of it; a sender also
   * gets its own part back, which Yjs ignores: merging once per sender instead would cost more
   * than it saves (a merge costs about 30 µs per update, and more per update for big groups).
   */
  private sendAfterCommit(
    relays: Array<{ update: Uint8Array; origin: unknown }>,
    acks: Map<RoomConnection, number>,
    stateVector: Uint8Array,
  ): void {
    const groups: Array<{ message: Uint8Array; origins: Set<unknown> }> = []
    for (let start = 0; start < relays.length; start += MERGE_GROUP) {
      const group = relays.slice(start, start + MERGE_GROUP)
      const updates = group.map((relay) => relay.update)
      groups.push({
        message: syncUpdateMessage(
          updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates),
        ),
        origins: new Set(group.map((relay) => relay.origin)),
      })
    }
    for (const connection of this.connections) {
      const seq = acks.get(connection)
      const toSend = groups.filter(
        (group) => !(group.origins.size === 1 && group.origins.has(connection)),
      )
      const send = () => {
        for (const group of toSend) connection.socket.send(group.message)
        if (seq !== undefined) connection.socket.send(encodePersisted(seq, stateVector))
      }
      if (toSend.length + (seq === undefined ? 0 : 1) > 1 && connection.socket.batch) {
        connection.socket.batch(send)
      } else send()
    }
  }

  /** Writes the document as one snapshot and drops the log entries it covers. */
  async compact(): Promise<void> {
    if (this.compaction) return this.compaction
    if (this.updatesSinceCompaction === 0 || this.destroyed) return
    const run = async () => {
      // Taken together, synchronously: the snapshot holds every update stored up to this seq.
      const throughSeq = this.lastStoredSeq
      const counted = this.updatesSinceCompaction
      const bytesAtSnapshot = this.storedBytes
      const snapshot = Y.encodeStateAsUpdate(this.doc)
      try {
        await this.options.store.compact(this.name, snapshot, throughSeq)
        this.updatesSinceCompaction -= counted
        // What was appended while the snapshot was written stays in the log, and counts.
        this.storedBytes = snapshot.length + (this.storedBytes - bytesAtSnapshot)
      } catch (error) {
        this.options.logger.error({ room: this.name, err: error }, 'compaction failed')
      }
    }
    this.compaction = run().finally(() => {
      this.compaction = null
    })
    return this.compaction
  }

  /** True when nothing waits to be stored. */
  get isDrained(): boolean {
    return this.queue.length === 0 && !this.flushing && !this.flushScheduled && !this.retryTimer
  }

  /** Resolves once everything queued so far is stored (waits through retries). */
  drain(): Promise<void> {
    if (this.isDrained) return Promise.resolve()
    return new Promise((resolve) => this.drainWaiters.push(resolve))
  }

  private notifyDrained(): void {
    if (!this.isDrained) return
    const waiters = this.drainWaiters
    this.drainWaiters = []
    for (const resolve of waiters) resolve()
  }

  /** Closes every connection with `code` (e.g. on shutdown). */
  closeConnections(code: number, reason: string): void {
    for (const connection of this.connections) connection.socket.close(code, reason)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.doc.off('update', this.handleDocUpdate)
    this.awareness.off('update', this.handleAwarenessUpdate)
    this.awareness.destroy()
    this.policy.destroy()
    this.doc.destroy()
  }
}

function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, SyncMessageType.Update)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/**
 * The client's state vector joined with what the greeting sent it: the greeting is read before
 * the answer to its SyncStep1 (one socket keeps the order), so the answer needs only the rest.
 */
function alsoHeld(stateVector: Uint8Array, greeted: Map<number, number> | null): Uint8Array {
  if (!greeted) return stateVector
  const held = Y.decodeStateVector(stateVector)
  for (const [client, clock] of greeted) {
    if ((held.get(client) ?? 0) < clock) held.set(client, clock)
  }
  return Y.encodeStateVector(held)
}
