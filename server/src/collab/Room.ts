/**
 * A room: one loaded Yjs document, its presence, and the connections editing it. The core keeps
 * the protocol (y-websocket's sync and awareness messages), the persist queue and the relay; it
 * knows no socket library, no REST and no audit format.
 *
 * A client's update goes through a short pipeline:
 *
 *   read -> the role may write? -> checks (listeners' checkUpdate: size limits, the trust policy
 *   on its shadow copy) -> apply to the room's Y.Doc -> queue for storage -> updateApplied
 *   (author binding, repairs, audit, ...) -> commit -> relay to every other connection, and
 *   Persisted(seq) to the sender.
 *
 * Relaying waits for the disk as the acknowledgement does (decision 0005): after a crash no
 * client holds another person's edit that the server lacks. What the checks are and what follows
 * from an update is not here: it listens to the room (roomListener.ts), each in its own file.
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
import { cardProblems, getAnswerSchema } from '@kartu/schema'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { DocumentStore, StoredDocument } from '../store/types.ts'
import { authorBinding } from './listeners/authorBinding.ts'
import { suggestionRepairs } from './listeners/suggestionRepairs.ts'
import { trustPolicy } from './listeners/trustPolicy.ts'
import { updateLimits } from './listeners/updateLimits.ts'
import { type PersistEntry, PersistQueue, type PersistTimings } from './PersistQueue.ts'
import type { Sender } from './policy/UpdatePolicy.ts'
import { RoomConnection } from './RoomConnection.ts'
import { RoomPresence } from './RoomPresence.ts'
import type { RefusalRecord } from './refusalTally.ts'
import { refusedUpdateFields } from './refusedUpdateLog.ts'
import { restoreDocument } from './restoreDocument.ts'
import {
  type IncomingUpdate,
  type RoomContext,
  type RoomListener,
  SERVER_ORIGIN,
  type UpdateFacts,
} from './roomListener.ts'
import { testRefusalCheck } from './testRefusal.ts'
import type { Logger, Participant, SocketLike } from './types.ts'

export { RoomConnection }

export type RoomOptions = {
  store: DocumentStore
  logger: Logger
  /** Compact the log into a snapshot after this many appended updates. */
  compactAfterUpdates: number
  /**
   * What listens to every room (roomListener.ts): the audit trail, the card's figures. They come
   * after the room's own listeners (the checks, the binding of clientIDs to their authors, the
   * repairs), whose results they read.
   */
  listeners?: readonly RoomListener[]
  /** Listeners made for each room, with state of their own (later: versions, notifications). */
  perRoom?: (room: RoomContext) => readonly RoomListener[]
  /** Top-level fields clients may write; by default those of the document's kind. */
  allowedRoots?: ReadonlySet<string>
  /** Size limits (defaults: no limit), see Config. */
  limits?: Partial<RoomLimits>
  /** Test only (KARTU_TEST_REFUSE_TEXT): refuse updates that write this word (testRefusal.ts). */
  testRefuseText?: string
  /** What operators measure (metrics/); unset, nothing is measured. */
  observer?: RoomObserver
}

/**
 * The room's measurements, as callbacks so that the core knows no metrics library: the persist
 * queue's timings, and each refused update's code, counted as it is refused (the audit's tally
 * reports repeats only a minute later).
 */
export type RoomObserver = PersistTimings & {
  refused(code: string): void
}

export type RoomLimits = {
  maxUpdateBytes: number
  docWarnBytes: number
  docMaxBytes: number
  /** Largest presence state one connection may announce (bytes of its JSON). */
  presenceMaxStateBytes: number
  /** All presence states of the room together (bytes of their JSON). */
  presenceMaxRoomBytes: number
  /** Presence changes of the room go out together, at most once per this many ms (0: at once). */
  presenceFlushMs: number
}

type Ack = { connection: RoomConnection; seq: number }

/** Roles whose updates are checked by the policy; a viewer's are refused outright. */
const WRITE_ROLES: ReadonlySet<string> = new Set([
  Role.Chair,
  Role.Editor,
  Role.Suggester,
  Role.Commenter,
])
/**
 * The largest answer sent whole in the greeting. Cards are a few kilobytes; a larger document is
 * synced the usual way, so that a reconnecting client is not sent what it already holds.
 */
const GREETING_STATE_MAX_BYTES = 256 * 1024
/** Refused updates after which a connection is closed: a client that keeps trying is broken. */
const MAX_REJECTIONS = 50
/** Refusals per connection logged at warn level. */
const LOGGED_REJECTIONS = 3
/** Relayed updates merged into one message at most (see sendAfterCommit). */
const MERGE_GROUP = 64

const NO_FACTS: UpdateFacts = { newClients: [], decisions: [], blockLocks: [] }

export class Room {
  readonly doc: Y.Doc
  readonly connections = new Set<RoomConnection>()
  private readonly presence: RoomPresence
  private readonly persist: PersistQueue<Ack>
  /**
   * In order: the checks (size limits, the test refusal when set, the trust policy), the author
   * binding (the rest read it), the repairs, then the listeners of every room.
   */
  private readonly listeners: readonly RoomListener[]
  /** Agreed text: every change to the answer is refused, the chair's too, until unlocked. */
  private locked = false
  /**
   * "Everyone suggests" (the chair's rakor switch, the card's own or its deck's): editors' updates
   * are judged as a suggester's, so their changes reach the answer only as suggestions.
   */
  private suggestOnly = false
  /**
   * While a client's update is applied: what the room's document emitted for it, relayed with
   * its queue entry. Anything emitted otherwise is the server's own change, queued by itself.
   */
  private applying: Array<{ update: Uint8Array; origin: unknown }> | null = null
  /** A message is being handled: its changes are committed together when it is done. */
  private handling = false
  private destroyed = false

  private constructor(
    readonly name: string,
    stored: StoredDocument,
    private readonly options: RoomOptions,
  ) {
    this.doc = restoreDocument(name, stored, options.logger)
    const limits = options.limits ?? {}
    this.persist = new PersistQueue<Ack>(
      name,
      this.doc,
      {
        lastSeq: stored.lastSeq,
        bytes:
          (stored.snapshot?.length ?? 0) + stored.updates.reduce((sum, u) => sum + u.length, 0),
        updates: stored.updates.length,
      },
      {
        store: options.store,
        logger: options.logger,
        compactAfterUpdates: options.compactAfterUpdates,
        ...(limits.docWarnBytes === undefined ? {} : { docWarnBytes: limits.docWarnBytes }),
        ...(options.observer ? { timings: options.observer } : {}),
      },
      (entries, stateVector, wroteUpdates) => this.committed(entries, stateVector, wroteUpdates),
    )
    const context: RoomContext = {
      name,
      doc: this.doc,
      logger: options.logger,
      isClientOrigin: (origin) => origin instanceof RoomConnection,
    }
    const repairs = suggestionRepairs(context)
    this.listeners = [
      updateLimits(context, limits),
      ...(options.testRefuseText ? [testRefusalCheck(options.testRefuseText)] : []),
      trustPolicy(context, options.allowedRoots),
      authorBinding,
      ...(repairs ? [repairs] : []),
      ...(options.perRoom?.(context) ?? []),
      ...(options.listeners ?? []),
    ]
    this.presence = new RoomPresence(name, this.doc, limits, options.logger, () => this.connections)
    this.doc.on('update', this.handleDocUpdate)
    if (parseDocumentName(name)?.kind === DocumentKind.Card) {
      // After the first sync has gone out, not before: a whole-card check costs a few
      // milliseconds on a large card, and the person opening it should not wait for an alert.
      setImmediate(() => this.alertIfMisshapen())
    }
  }

  /** The room's presence states (y-protocols awareness). */
  get awareness(): RoomPresence['awareness'] {
    return this.presence.awareness
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
    // Presence gathered so far goes to those already here first: the newcomer's greeting below
    // holds every state as it is (see RoomPresence.flushPending).
    this.presence.flushPending()
    this.connections.add(connection)
    // Start the sync: our state vector; the client answers with what we lack (SyncStep2).
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    encoding.writeVarUint(encoder, SyncMessageType.Step1)
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(this.doc))
    socket.send(encoding.toUint8Array(encoder))
    this.greetWithState(connection)
    socket.send(encodePermission(participant.role, this.locked, this.suggestOnly))
    const everyone = this.presence.everyone()
    if (everyone) socket.send(everyone)
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
    this.afterStored(() => {
      if (!this.connections.has(connection)) return
      connection.socket.send(greeting)
      connection.synced = true
    })
  }

  /** Runs `send` now when everything is stored, or once what is queued now is. */
  private afterStored(send: () => void): void {
    if (this.persist.isDrained) {
      send()
      return
    }
    this.persist.push({ update: null, ack: null, relay: [], afterCommit: send })
    this.flushUnlessHandling()
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
    this.presence.leave(connection)
    if (connection.synced) {
      this.tell('connectionClosed', {
        documentName: this.name,
        doc: this.doc,
        participant: connection.participant,
      })
    }
  }

  /** Handles one binary message from a connection. Throws only on malformed framing. */
  handleMessage(connection: RoomConnection, message: Uint8Array): void {
    // Everything this message queues for storage (the client's update, and the server's own
    // changes that follow from it: the author binding, repairs) goes in one commit, handed to
    // the store when the message is done.
    this.handling = true
    try {
      const decoder = decoding.createDecoder(message)
      const type = decoding.readVarUint(decoder)
      switch (type) {
        case MessageType.Sync:
          this.handleSync(connection, decoder)
          return
        case MessageType.Awareness:
          this.presence.receive(connection, decoding.readVarUint8Array(decoder))
          return
        case MessageType.QueryAwareness: {
          const everyone = this.presence.everyone()
          if (everyone) connection.socket.send(everyone)
          return
        }
        default:
          // Unknown types are ignored, as y-websocket does, so that newer clients keep working.
          this.options.logger.debug({ room: this.name, type }, 'ignored message type')
      }
    } finally {
      this.handling = false
      this.persist.flush()
    }
  }

  private handleSync(connection: RoomConnection, decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder)
    if (syncType === SyncMessageType.Step1) {
      const stateVector = alsoHeld(decoding.readVarUint8Array(decoder), connection.greeted)
      // Needed for this one answer: a Map per connection with an entry per Yjs client of the
      // document is the larger part of a connection's memory on a card many people wrote.
      connection.greeted = null
      // ORDER MATTERS: the answer is encoded now, from what the room holds now, all of which is
      // queued before it; it is sent once that is stored, for the same reason updates are relayed
      // only after the commit. Encoded at send time instead, it would also carry updates applied
      // while the commit ran, which are not stored yet. Those reach this connection as relays.
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.Sync)
      encoding.writeVarUint(encoder, SyncMessageType.Step2)
      encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, stateVector))
      const answer = encoding.toUint8Array(encoder)
      this.afterStored(() => {
        if (!this.connections.has(connection)) return
        connection.socket.send(answer)
        connection.synced = true
      })
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
    this.options.observer?.refused(code)
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

  /**
   * The checks, in order; the first refusal wins. A check that throws refuses the update: what
   * a check could not judge is not let through.
   */
  private check(
    incoming: IncomingUpdate,
  ): { ok: true; facts: UpdateFacts } | { ok: false; code: string; message: string } {
    let facts = NO_FACTS
    for (const listener of this.listeners) {
      if (!listener.checkUpdate) continue
      try {
        const found = listener.checkUpdate(incoming)
        if (!found.ok) return found
        if (found.facts) facts = { ...facts, ...found.facts }
      } catch (error) {
        this.options.logger.error({ room: this.name, err: error }, 'update check failed')
        return { ok: false, code: RejectCode.MalformedUpdate, message: 'malformed update' }
      }
    }
    return { ok: true, facts }
  }

  private applyClientUpdate(connection: RoomConnection, seq: number, update: Uint8Array): void {
    // For Persisted's latency: the clock is read for the oldest update of a batch only.
    const arrivedAt = this.persist.wantsArrivalTime ? performance.now() : -1
    const incoming: IncomingUpdate = {
      documentName: this.name,
      doc: this.doc,
      update,
      participant: connection.participant,
      sender: this.judgedAs(connection.participant),
      locked: this.locked,
      storedBytes: this.persist.storedBytes,
    }
    // The trust policy reads the update on its shadow first: a malformed one is refused there,
    // whole, before the room's document reads a byte of it (Yjs would integrate the part before
    // the damage and only then throw).
    const verdict = this.check(incoming)
    if (!verdict.ok) {
      this.reject(connection, seq, verdict.code, verdict.message, update)
      return
    }
    const emitted: Array<{ update: Uint8Array; origin: unknown }> = []
    this.applying = emitted
    try {
      Y.applyUpdate(this.doc, update, connection)
    } catch (error) {
      this.options.logger.debug({ room: this.name, err: error }, 'update failed to apply')
      this.tell('checkedUpdateFailed', incoming)
      this.reject(connection, seq, RejectCode.MalformedUpdate, 'malformed update', update)
      // Yjs may have integrated part of the update before it threw: that part is in the room's
      // document, so it is stored and relayed like a change the server made.
      for (const part of emitted)
        this.persist.push({ update: part.update, ack: null, relay: [part] })
      return
    } finally {
      this.applying = null
    }
    // Store what the client sent, not what Yjs integrated: an update whose dependencies have not
    // arrived yet stays pending in the doc, and must still be on disk before we say Persisted.
    const changed =
      emitted.length > 0 ||
      this.doc.store.pendingStructs !== null ||
      this.doc.store.pendingDs !== null
    this.persist.push(
      { update: changed ? update : null, ack: { connection, seq }, relay: emitted },
      arrivedAt,
    )
    // The binding listens first: the repairs and the other listeners read it. What they change
    // is the server's own change, stored and relayed after the client's update, in one commit.
    this.tell('updateApplied', {
      documentName: this.name,
      doc: this.doc,
      participant: connection.participant,
      update,
      ...verdict.facts,
    })
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
  private tell<K extends Exclude<keyof RoomListener, 'checkUpdate'>>(
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
    // Relayed only after the commit (see committed): no client ever holds another person's edit
    // that a crash could take from the server. Otherwise, after a restart, clients would send
    // that edit back under its author's clientID, and the server could not tell it from a
    // forgery. A client's update is queued by applyClientUpdate, as the client sent it.
    if (this.applying) {
      this.applying.push({ update, origin })
      return
    }
    // The server's own change: stored as it is, and mirrored in the policy's shadow.
    if (origin === SERVER_ORIGIN) this.tell('serverChanged', update)
    this.persist.push({ update, ack: null, relay: [{ update, origin }] })
    this.flushUnlessHandling()
  }

  /** Outside a message (which commits when it is done), what was queued goes to the store now. */
  private flushUnlessHandling(): void {
    if (!this.handling) this.persist.flush()
  }

  /** After a commit: acknowledgements, relays, the `stored` listeners. */
  private committed(
    entries: ReadonlyArray<PersistEntry<Ack>>,
    stateVector: Uint8Array,
    wroteUpdates: boolean,
  ): void {
    const acks = new Map<RoomConnection, number>()
    for (const entry of entries) {
      if (entry.ack) acks.set(entry.ack.connection, entry.ack.seq)
      entry.afterCommit?.()
    }
    this.sendAfterCommit(
      entries.flatMap((entry) => entry.relay),
      acks,
      stateVector,
    )
    if (wroteUpdates) this.tell('stored', this)
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
  compact(): Promise<void> {
    return this.persist.compact()
  }

  /** True when nothing waits to be stored. */
  get isDrained(): boolean {
    return this.persist.isDrained
  }

  /** Resolves once everything queued so far is stored (waits through retries). */
  drain(): Promise<void> {
    return this.persist.drain()
  }

  /** Closes every connection with `code` (e.g. on shutdown). */
  closeConnections(code: number, reason: string): void {
    for (const connection of this.connections) connection.socket.close(code, reason)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.persist.close()
    this.doc.off('update', this.handleDocUpdate)
    this.presence.destroy()
    this.tell('roomClosed', undefined)
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
