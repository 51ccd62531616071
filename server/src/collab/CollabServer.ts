/**
 * Connects authenticated sockets to rooms. Knows no websocket library: the transport hands it a
 * SocketLike and forwards messages and the close event through the returned handle.
 *
 * Messages that arrive while the room loads are buffered and replayed in order once it is ready
 * (attaching the listener only after the async load would drop the client's first SyncStep1).
 */
import { CloseCode, isDocumentChangingMessage } from '@kartu/protocol'
import type { Room, RoomConnection } from './Room.ts'
import type { RoomManager } from './RoomManager.ts'
import type { Logger, Participant, SocketLike } from './types.ts'

export type ConnectionHandle = {
  onMessage(message: Uint8Array): void
  onClose(): void
}

export type ConnectionLimits = {
  /** Sustained messages per second; a burst of three times as many is allowed. */
  maxMessagesPerSecond: number
  /** Largest message taken; a larger one closes the connection with 4413. */
  maxMessageBytes?: number
  /** Messages a connection may send while its room loads. */
  maxBufferedMessages: number
}

/** What the composition root wants to hear about connections (kept free of auth and REST). */
export type CollabListeners = {
  /** A person sent a document-changing message (an edit): their session is in use. */
  onEdit?(participant: Participant): void
}

const NO_LIMITS: ConnectionLimits = {
  maxMessagesPerSecond: Number.POSITIVE_INFINITY,
  maxBufferedMessages: Number.POSITIVE_INFINITY,
}

/** A token bucket: `take()` is false once the sender is faster than the rate allows. */
class RateBucket {
  private tokens: number
  private last = Date.now()
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst
  }
  take(): boolean {
    // No limit configured (Infinity): 0 ms * Infinity would be NaN below.
    if (!Number.isFinite(this.perSecond)) return true
    const now = Date.now()
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
    this.tokens -= 1
    return this.tokens >= 0
  }
}

export class CollabServer {
  private readonly sockets = new Set<SocketLike>()
  private readonly userConnections = new Map<string, number>()
  private closing = false

  constructor(
    private readonly rooms: RoomManager,
    readonly logger: Logger,
    readonly limits: ConnectionLimits = NO_LIMITS,
    readonly listeners: CollabListeners = {},
  ) {}

  /** Open connections of one person (for the per-person limit at the upgrade). */
  connectionsOf(userId: string): number {
    return this.userConnections.get(userId) ?? 0
  }

  get connectionCount(): number {
    return this.sockets.size
  }

  handleConnection(
    socket: SocketLike,
    participant: Participant,
    documentName: string,
    /** The card's lock and "everyone suggests" as read at the upgrade (newer than the room's). */
    options: { locked?: boolean; suggestOnly?: boolean } = {},
  ): ConnectionHandle {
    const connection = new ServerConnection(this, socket, participant, documentName)
    this.sockets.add(socket)
    this.userConnections.set(participant.userId, this.connectionsOf(participant.userId) + 1)
    if (this.closing) {
      connection.close(CloseCode.ShuttingDown, 'server is shutting down')
      return connection
    }
    this.rooms.acquire(documentName).then(
      (loaded) => connection.joined(loaded, options),
      (error: unknown) => {
        this.logger.error({ room: documentName, err: error }, 'document failed to load')
        connection.close(CloseCode.LoadFailed, 'document failed to load')
      },
    )
    return connection
  }

  /** A connection ended: it counts no more, and lets go of its room. */
  left(connection: ServerConnection, room: Room | null): void {
    this.sockets.delete(connection.socket)
    const userId = connection.participant.userId
    const left = this.connectionsOf(userId) - 1
    if (left > 0) this.userConnections.set(userId, left)
    else this.userConnections.delete(userId)
    if (room) this.rooms.release(room)
  }

  get isClosing(): boolean {
    return this.closing
  }

  /** A room a connection loaded but will not join. */
  releaseRoom(room: Room): void {
    this.rooms.release(room)
  }

  /** Refuses new connections, closes open ones, and stores every room. */
  async close(): Promise<void> {
    this.closing = true
    await this.rooms.closeAll(CloseCode.ShuttingDown, 'server is shutting down')
  }
}

/**
 * One connection between the transport and its room: the handle the transport calls, and the
 * socket the room sends to (a class, not closures: a connection is kept for hours, one per
 * person and card, and its memory counts).
 */
class ServerConnection implements ConnectionHandle, SocketLike {
  /**
   * Once the server decides to close a connection, it reads nothing more from it: messages
   * already received in the same burst would otherwise still be processed.
   */
  private closing = false
  private closed = false
  private room: Room | null = null
  private connection: RoomConnection | null = null
  /** Messages received while the room loads, replayed in order once it is ready. */
  private buffered: Uint8Array[] | null = []
  private readonly bucket: RateBucket

  constructor(
    private readonly server: CollabServer,
    readonly socket: SocketLike,
    readonly participant: Participant,
    private readonly documentName: string,
  ) {
    this.bucket = new RateBucket(
      server.limits.maxMessagesPerSecond,
      server.limits.maxMessagesPerSecond * 3,
    )
    // The transport's corked write, kept: without it every message after a commit is a write of
    // its own. The sends inside still pass through the `closing` check in send().
    if (!socket.batch) this.batch = undefined
  }

  send(message: Uint8Array): void {
    if (!this.closing) this.socket.send(message)
  }

  close(code: number, reason: string): void {
    this.closing = true
    this.socket.close(code, reason)
  }

  batch?(sends: () => void): void {
    this.socket.batch?.(sends)
  }

  /** The room is loaded: join it and replay what arrived meanwhile. */
  joined(loaded: Room, options: { locked?: boolean; suggestOnly?: boolean }): void {
    if (this.closed) {
      this.server.releaseRoom(loaded)
      return
    }
    // close() began while this room loaded: it may already have stored and destroyed the room,
    // so joining now would acknowledge updates that are never stored.
    if (this.server.isClosing) {
      this.buffered = null
      this.server.releaseRoom(loaded)
      this.close(CloseCode.ShuttingDown, 'server is shutting down')
      return
    }
    this.room = loaded
    if (options.locked !== undefined) loaded.setLocked(options.locked)
    if (options.suggestOnly !== undefined) loaded.setSuggestOnly(options.suggestOnly)
    this.connection = loaded.addConnection(this, this.participant)
    const pending = this.buffered ?? []
    this.buffered = null
    for (const message of pending) this.deliver(message)
  }

  onMessage(message: Uint8Array): void {
    if (this.closed || this.closing) return
    const { limits, logger } = this.server
    const maxBytes = limits.maxMessageBytes
    if (maxBytes !== undefined && message.length > maxBytes) {
      // Closed with 4413, which y-websocket does not retry (4400-4499), and which the Kartu
      // client shows as "too large": a resend would only be refused again.
      logger.warn(
        { room: this.documentName, user: this.participant.userId, bytes: message.length },
        'message too large; closing the connection',
      )
      this.close(CloseCode.MessageTooLarge, `message over ${maxBytes} bytes`)
      return
    }
    if (!this.bucket.take()) {
      logger.warn({ room: this.documentName, user: this.participant.userId }, 'message rate limit')
      this.close(CloseCode.RateLimited, 'too many messages')
      return
    }
    if (isDocumentChangingMessage(message)) this.server.listeners.onEdit?.(this.participant)
    if (this.buffered) {
      if (this.buffered.length >= limits.maxBufferedMessages) {
        this.close(CloseCode.RateLimited, 'too many messages while loading')
        return
      }
      this.buffered.push(message)
    } else this.deliver(message)
  }

  onClose(): void {
    if (this.closed) return
    this.closed = true
    this.buffered = null
    if (this.room && this.connection) this.room.removeConnection(this.connection)
    this.server.left(this, this.room)
  }

  private deliver(message: Uint8Array): void {
    if (!this.room || !this.connection) return
    try {
      this.room.handleMessage(this.connection, message)
    } catch (error) {
      this.server.logger.warn(
        { room: this.documentName, user: this.participant.userId, err: (error as Error).message },
        'malformed message; closing connection',
      )
      this.close(CloseCode.MalformedMessage, 'malformed message')
    }
  }
}
