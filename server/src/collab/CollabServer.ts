/**
 * Connects authenticated sockets to rooms. Knows no websocket library: the transport hands it a
 * SocketLike and forwards messages and the close event through the returned handle.
 *
 * Messages that arrive while the room loads are buffered and replayed in order once it is ready
 * (attaching the listener only after the async load would drop the client's first SyncStep1).
 */
import { CloseCode } from '@kartu/protocol'
import type { Room, RoomConnection } from './Room.ts'
import type { RoomManager } from './RoomManager.ts'
import type { Logger, Participant, SocketLike } from './types.ts'

export type ConnectionHandle = {
  onMessage(message: Uint8Array): void
  onClose(): void
}

export class CollabServer {
  private readonly sockets = new Set<SocketLike>()
  private closing = false

  constructor(
    private readonly rooms: RoomManager,
    private readonly logger: Logger,
  ) {}

  get connectionCount(): number {
    return this.sockets.size
  }

  handleConnection(
    socket: SocketLike,
    participant: Participant,
    documentName: string,
    options: { locked?: boolean } = {},
  ): ConnectionHandle {
    let room: Room | null = null
    let connection: RoomConnection | null = null
    let buffered: Uint8Array[] | null = []
    let closed = false
    this.sockets.add(socket)

    const deliver = (message: Uint8Array) => {
      if (!room || !connection) return
      try {
        room.handleMessage(connection, message)
      } catch (error) {
        this.logger.warn(
          { room: documentName, user: participant.userId, err: error },
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
        if (buffered) buffered.push(message)
        else deliver(message)
      },
      onClose: () => {
        if (closed) return
        closed = true
        buffered = null
        this.sockets.delete(socket)
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
