/**
 * What the room core needs from the outside world: a socket it can send to and close, who is on
 * the other end, and a logger. No websocket library appears here.
 */
import type { PresenceUser, Role } from '@kartu/protocol'

/** The minimal socket a room talks to (the transport adapts ws to it). */
export interface SocketLike {
  send(message: Uint8Array): void
  close(code: number, reason: string): void
  /**
   * Sends what `sends` sends in one write to the network where the transport can (several
   * messages for one connection after one commit): one system call instead of one per message.
   */
  batch?(sends: () => void): void
}

/**
 * The authenticated person behind a connection, as the server knows them. `role` may change
 * while the connection is open (the permission watcher updates it); rooms read it per message.
 */
export type Participant = {
  userId: string
  /**
   * What authenticated the connection (a session or a token, by its secret's hash): the access
   * watcher checks it again, so the connection ends when it does. Absent in unit tests.
   */
  credential?: { kind: 'session' | 'token'; secretHash: string }
  /** The deck whose membership gives the role. */
  deckId: string
  role: Role
  presence: PresenceUser
}

/** The subset of pino's interface that the core uses. */
export interface Logger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
  debug(obj: object, msg?: string): void
}
