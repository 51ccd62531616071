/**
 * Keeps open connections in step with what SQL says: a member's role, a removed member, a card
 * locked as agreed text, "everyone suggests" on a card or its deck, and the credential each connection was opened with (a session signed
 * out, expired or ended, a token revoked, an account disabled: closed with 4401). Changes made
 * through the API apply at once (`refresh()`); changes made by another process (the CLI on the
 * same database) or by the clock (expiry) within one polling interval.
 */
import { CloseCode, DocumentKind, parseDocumentName } from '@kartu/protocol'
import type { Cards, Decks, Memberships } from '../store/types.ts'
import { SliceClock } from './backgroundWork.ts'
import type { RoomManager } from './RoomManager.ts'
import type { Logger, Participant } from './types.ts'

/** Why a connection's credential no longer holds (shown as the close reason), or null. */
export type CredentialCheck = (
  credential: NonNullable<Participant['credential']>,
  userId: string,
) => Promise<string | null>

export class PermissionWatcher {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false

  constructor(
    private readonly rooms: RoomManager,
    private readonly repository: Cards & Decks & Memberships,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly checkCredential: CredentialCheck = async () => null,
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

  /**
   * Re-reads roles, locks and "everyone suggests" for every open connection. Calls made meanwhile
   * run once more.
   */
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
    const credentials = new Map<string, Promise<string | null>>()
    const endedBecause = (participant: Participant): Promise<string | null> => {
      const credential = participant.credential
      if (!credential) return Promise.resolve(null)
      const key = `${credential.secretHash}\u0000${participant.userId}`
      let ended = credentials.get(key)
      if (!ended) {
        ended = this.checkCredential(credential, participant.userId)
        credentials.set(key, ended)
      }
      return ended
    }
    const decks = new Map<string, Promise<boolean>>()
    const deckSuggestOnly = (deckId: string) => {
      let on = decks.get(deckId)
      if (!on) {
        on = this.repository.getDeck(deckId).then((deck) => deck?.suggestOnly === true)
        decks.set(deckId, on)
      }
      return on
    }
    // Background work in slices (backgroundWork.ts): five hundred connections' credentials and
    // roles read in one go, every two seconds, held the rooms' loop for about 35 ms.
    const slices = new SliceClock()
    for (const room of this.rooms.loadedRooms()) {
      await slices.next()
      const parsed = parseDocumentName(room.name)
      if (parsed?.kind === DocumentKind.Card) {
        const card = await this.repository.getCard(parsed.id)
        if (!card) {
          room.closeConnections(CloseCode.UnknownDocument, 'the card no longer exists')
          continue
        }
        room.setLocked(card.locked)
        room.setSuggestOnly(card.suggestOnly || (await deckSuggestOnly(card.deckId)))
      }
      for (const connection of Array.from(room.connections)) {
        await slices.next()
        // Closed while the loop was let go: nothing to re-check.
        if (!room.connections.has(connection)) continue
        const { participant } = connection
        const ended = await endedBecause(participant)
        if (ended !== null) {
          this.logger.info({ room: room.name, user: participant.userId, ended }, 'signed out')
          connection.socket.close(CloseCode.Unauthorized, ended)
          continue
        }
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
