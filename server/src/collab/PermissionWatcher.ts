/**
 * Keeps open connections in step with what SQL says: a member's role, a removed member, a card
 * locked as agreed text. Changes made through the API apply at once (`refresh()`); changes made
 * by another process (the CLI on the same database) within one polling interval.
 */
import { CloseCode, DocumentKind, parseDocumentName } from '@kartu/protocol'
import type { Repository } from '../store/types.ts'
import type { RoomManager } from './RoomManager.ts'
import type { Logger } from './types.ts'

export class PermissionWatcher {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false

  constructor(
    private readonly rooms: RoomManager,
    private readonly repository: Repository,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => void this.refresh(), this.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** Re-reads roles and locks for every open connection. Calls made meanwhile run once more. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.check()
      .catch((error: unknown) => this.logger.error({ err: error }, 'permission refresh failed'))
      .finally(() => {
        this.running = null
        if (this.again) {
          this.again = false
          void this.refresh()
        }
      })
    return this.running
  }

  private async check(): Promise<void> {
    const roles = new Map<string, Promise<string | null>>()
    const roleOf = (deckId: string, userId: string) => {
      const key = `${deckId}\u0000${userId}`
      let role = roles.get(key)
      if (!role) {
        role = this.repository.getRole(deckId, userId)
        roles.set(key, role)
      }
      return role
    }
    for (const room of this.rooms.loadedRooms()) {
      const parsed = parseDocumentName(room.name)
      if (parsed?.kind === DocumentKind.Card) {
        const card = await this.repository.getCard(parsed.id)
        if (!card) {
          room.closeConnections(CloseCode.UnknownDocument, 'the card no longer exists')
          continue
        }
        room.setLocked(card.locked)
      }
      for (const connection of Array.from(room.connections)) {
        const { participant } = connection
        const role = await roleOf(participant.deckId, participant.userId)
        if (role === null) {
          this.logger.info({ room: room.name, user: participant.userId }, 'member removed')
          connection.socket.close(CloseCode.Forbidden, 'no longer a member of this deck')
        } else if (role !== participant.role) {
          participant.role = role as typeof participant.role
          room.sendPermission(connection)
        }
      }
    }
  }
}
