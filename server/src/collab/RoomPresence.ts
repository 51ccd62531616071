/**
 * A room's presence (y-protocols awareness): who is here and where their caret is. Each
 * connection may announce one clientID of its own; the server stamps the name and ministry it
 * knows onto it (awarenessIdentity.ts), caps its size and the room's, and closes a connection
 * that claims someone else's clientID or floods the room (4422).
 */
import { CloseCode, MessageType } from '@kartu/protocol'
import { AUTHORS_FIELD, type Author } from '@kartu/schema'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { readAwarenessEntries, withIdentity, writeAwarenessEntries } from './awarenessIdentity.ts'
import type { RoomConnection } from './RoomConnection.ts'
import type { Logger } from './types.ts'

export type PresenceLimits = {
  /** Largest presence state one connection may announce (bytes of its JSON). */
  presenceMaxStateBytes?: number
  /** All presence states of the room together (bytes of their JSON). */
  presenceMaxRoomBytes?: number
  /**
   * Presence changes go out together, at most once per this many milliseconds (0 or absent: each
   * at once). The first change after a quiet interval goes at once.
   */
  presenceFlushMs?: number
}

export class RoomPresence {
  readonly awareness: awarenessProtocol.Awareness
  /** Who announced each clientID's presence in this room (so echoes are told from forgeries). */
  private readonly presenceOwners = new Map<number, string>()
  /** Bytes of each presence state held (by clientID), and their sum: the room's presence cap. */
  private readonly presenceBytes = new Map<number, number>()
  private presenceTotal = 0
  /** ClientIDs whose presence changed since the last message went out. */
  private readonly changed = new Set<number>()
  private flushTimer: NodeJS.Timeout | null = null
  private lastFlushAt = Number.NEGATIVE_INFINITY

  constructor(
    private readonly name: string,
    private readonly doc: Y.Doc,
    private readonly limits: PresenceLimits,
    private readonly logger: Logger,
    private readonly connections: () => Iterable<RoomConnection>,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc)
    // The server has no presence of its own.
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.handleAwarenessUpdate)
  }

  /** Every state held, as one message (for a newcomer, or a QueryAwareness); null when none. */
  everyone(): Uint8Array | null {
    const states = this.awareness.getStates()
    if (states.size === 0) return null
    return awarenessMessage(
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, Array.from(states.keys())),
    )
  }

  /** The connection left: its states go, and everyone is told. */
  leave(connection: RoomConnection): void {
    if (connection.awarenessClients.size === 0) return
    awarenessProtocol.removeAwarenessStates(
      this.awareness,
      Array.from(connection.awarenessClients),
      null,
    )
  }

  destroy(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    this.awareness.off('update', this.handleAwarenessUpdate)
    this.awareness.destroy()
  }

  /** An awareness update from a connection: its own presence, checked and stamped. */
  receive(connection: RoomConnection, update: Uint8Array): void {
    const limits = this.limits
    const accepted = []
    const sizes = new Map<number, number>()
    let total = this.presenceTotal
    const entries = readAwarenessEntries(update)
    // What a y-websocket client sends first on a new socket is its own state, alone; echoes of
    // others' states come only after it has read the room's greeting.
    const opening = connection.awarenessMessages === 0 && entries.length === 1
    connection.awarenessMessages++
    for (const entry of entries) {
      const claim = this.presenceClaim(connection, entry.clientId, entry.state, opening)
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
        this.logger.warn({ room: this.name, bytes: total }, 'presence of the room is full')
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
    opening: boolean,
  ): 'own' | 'skip' | 'foreign' {
    const own = connection.awarenessClients.values().next().value
    if (own === clientId) return 'own'
    const holder = this.holderOf(connection, clientId)
    if (holder) {
      // The same person announcing, as the first thing on a new connection, a clientID that
      // another connection of theirs holds: a reconnect that came before the server saw the old
      // socket close (a half-open connection after a network blip). The new connection takes it
      // over, or its states would be skipped and the old socket's close would then remove the
      // person's presence until their next renewal, up to 15 s offline to everyone.
      if (
        opening &&
        own === undefined &&
        state !== 'null' &&
        holder.participant.userId === connection.participant.userId
      ) {
        holder.awarenessClients.delete(clientId)
        return 'own'
      }
      return 'skip'
    }
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
    this.logger.warn(
      { room: this.name, user: connection.participant.userId, reason },
      'presence refused; closing the connection',
    )
    connection.socket.close(CloseCode.PresenceRefused, reason)
  }

  /** Another connection that holds `clientId` as its own, if any. */
  private holderOf(connection: RoomConnection, clientId: number): RoomConnection | null {
    for (const other of this.connections()) {
      if (other !== connection && other.awarenessClients.has(clientId)) return other
    }
    return null
  }

  private readonly handleAwarenessUpdate = (changes: {
    added: number[]
    updated: number[]
    removed: number[]
  }): void => {
    // States that left (their connection closed, or they timed out) no longer count.
    for (const clientId of changes.removed) this.setPresenceBytes(clientId, 0)
    for (const clientId of [...changes.added, ...changes.updated, ...changes.removed]) {
      this.changed.add(clientId)
    }
    // Coalesced: with hundreds of dashboards on a deck, each person's move sent to everyone at
    // once is people x moves messages a second. Gathered, everyone gets one message per interval
    // holding every change of it. A change after a quiet interval still goes at once.
    if (this.flushTimer) return
    const waitMs = this.lastFlushAt + (this.limits.presenceFlushMs ?? 0) - Date.now()
    if (waitMs <= 0) {
      this.flushPending()
      return
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null
      this.flushPending()
    }, waitMs)
  }

  /**
   * Sends every presence change gathered since the last message, as one message, to those here
   * now. Called before a newcomer joins: its greeting holds every state as it is, and a change
   * gathered before it came must not reach it again afterwards.
   */
  flushPending(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    if (this.changed.size === 0) return
    this.lastFlushAt = Date.now()
    // Encoded now, from the states as they are: a state that changed twice goes once, as it is,
    // and a departure goes as the awareness protocol writes one (a null state, a newer clock).
    const message = awarenessMessage(
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.changed]),
    )
    this.changed.clear()
    for (const connection of this.connections()) connection.socket.send(message)
  }
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}
