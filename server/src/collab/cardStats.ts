/**
 * Keeps each card's figures in SQL (words, open suggestions and threads, mentions) up to date
 * with its document, so the dashboard can list them without loading every card document. Debounced: typing does not cost a write per keystroke.
 */
import { DocumentKind, parseDocumentName } from '@kartu/protocol'
import { cardStats } from '@kartu/schema'
import type { Cards } from '../store/types.ts'
import type { RoomListener, StoredRoom } from './roomListener.ts'
import type { Logger } from './types.ts'

export class CardStats implements RoomListener {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; run: () => Promise<void> }>()

  constructor(
    private readonly repository: Cards,
    private readonly logger: Logger,
    private readonly delayMs = 1000,
  ) {}

  /** After a room's updates were stored. */
  readonly stored = (room: StoredRoom): void => {
    const parsed = parseDocumentName(room.name)
    if (parsed?.kind !== DocumentKind.Card || this.timers.has(room.name)) return
    const cardId = parsed.id
    const run = async () => {
      this.timers.delete(room.name)
      try {
        await this.repository.setCardStats(cardId, cardStats(room.doc))
      } catch (error) {
        this.logger.warn({ room: room.name, err: error }, 'card figures not updated')
      }
    }
    this.timers.set(room.name, { timer: setTimeout(run, this.delayMs), run })
  }

  /** Writes the pending counts now (on shutdown). */
  async flush(): Promise<void> {
    const pending = Array.from(this.timers.values())
    for (const { timer } of pending) clearTimeout(timer)
    await Promise.all(pending.map(({ run }) => run()))
  }
}
