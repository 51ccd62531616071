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
    private readonly logger: Logger,
    private readonly limits: ConnectionLimits = NO_LIMITS,
    private readonly listeners: CollabListeners = {},
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
    // Once the server decides to close a connection, it reads nothing more from it: messages
    // already received in the same burst would otherwise still be processed.
    let closing = false
    const raw = socket
    socket = {
      send: (message) => {
        if (!closing) raw.send(message)
      },
      close: (code, reason) => {
        closing = true
        raw.close(code, reason)
      },
      // The transport's corked write, kept: without it every message after a commit is a
      // write of its own. The sends inside still pass through the `closing` check above.
      ...(raw.batch ? { batch: (sends: () => void) => raw.batch?.(sends) } : {}),
    }
    let room: Room | null = null
    let connection: RoomConnection | null = null
    let buffered: Uint8Array[] | null = []
    let closed = false
    this.sockets.add(raw)
    this.userConnections.set(participant.userId, this.connectionsOf(participant.userId) + 1)
    const bucket = new RateBucket(
      this.limits.maxMessagesPerSecond,
      this.limits.maxMessagesPerSecond * 3,
    )

    const deliver = (message: Uint8Array) => {
      if (!room || !connection) return
      try {
        room.handleMessage(connection, message)
      } catch (error) {
        this.logger.warn(
          { room: documentName, user: participant.userId, err: (error as Error).message },
          'malformed message; closing connection',
        )
        socket.close(CloseCode.MalformedMessage, 'malformed message')
      }
    }

    if (this.closing) {
      socket.close(CloseCode.ShuttingDown, 'server is shutting down')
    } else {
      this.rooms.acquire(documentName).then(
        (loaded) => {
          if (closed) {
            this.rooms.release(loaded)
            return
          }
          // close() began while this room loaded: it may already have stored and destroyed the
          // room, so joining now would acknowledge updates that are never stored.
          if (this.closing) {
            buffered = null
            this.rooms.release(loaded)
            socket.close(CloseCode.ShuttingDown, 'server is shutting down')
            return
          }
          room = loaded
          if (options.locked !== undefined) loaded.setLocked(options.locked)
          if (options.suggestOnly !== undefined) loaded.setSuggestOnly(options.suggestOnly)
          connection = loaded.addConnection(socket, participant)
          const pending = buffered ?? []
          buffered = null
          for (const message of pending) deliver(message)
        },
        (error: unknown) => {
          this.logger.error({ room: documentName, err: error }, 'document failed to load')
          socket.close(CloseCode.LoadFailed, 'document failed to load')
        },
      )
    }

    return {
      onMessage: (message) => {
        if (closed || closing) return
        const maxBytes = this.limits.maxMessageBytes
        if (maxBytes !== undefined && message.length > maxBytes) {
          // Closed with 4413, which y-websocket does not retry (4400-4499), and which the Kartu
          // client shows as "too large": a resend would only be refused again.
          this.logger.warn(
            { room: documentName, user: participant.userId, bytes: message.length },
            'message too large; closing the connection',
          )
          socket.close(CloseCode.MessageTooLarge, `message over ${maxBytes} bytes`)
          return
        }
        if (!bucket.take()) {
          this.logger.warn({ room: documentName, user: participant.userId }, 'message rate limit')
          socket.close(CloseCode.RateLimited, 'too many messages')
          return
        }
        if (isDocumentChangingMessage(message)) this.listeners.onEdit?.(participant)
        if (buffered) {
          if (buffered.length >= this.limits.maxBufferedMessages) {
            socket.close(CloseCode.RateLimited, 'too many messages while loading')
            return
          }
          buffered.push(message)
        } else deliver(message)
      },
      onClose: () => {
        if (closed) return
        closed = true
        buffered = null
        this.sockets.delete(raw)
        const left = this.connectionsOf(participant.userId) - 1
        if (left > 0) this.userConnections.set(participant.userId, left)
        else this.userConnections.delete(participant.userId)
        if (room && connection) {
          room.removeConnection(connection)
          this.rooms.release(room)
        }
      },
    }
  }

  /** Refuses new connections, closes open ones, and stores every room. */
  async close(): Promise<void> {
    this.closing = true
    await this.rooms.closeAll(CloseCode.ShuttingDown, 'server is shutting down')
  }
}
