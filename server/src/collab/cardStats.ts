/**
 * Keeps each card's figures in SQL (words, open suggestions and threads, mentions) up to date
 * with its document, so the dashboard can list them without loading every card document.
 *
 * Debounced and gathered: a card whose updates were stored is marked, and once per `delayMs` the
 * figures of every marked card are written in one transaction. Typing costs no write per
 * keystroke, and many cards edited at once (a rakor's ministries each on their own card) cost
 * one commit per interval, not one per card: with a commit per card the figures cost as many
 * fsyncs as the edits themselves on a hundred busy cards.
 */
import { DocumentKind, parseDocumentName } from '@kartu/protocol'
import { cardStats } from '@kartu/schema'
import type * as Y from 'yjs'
import type { Cards } from '../store/types.ts'
import type { RoomListener, StoredRoom } from './roomListener.ts'
import type { Logger } from './types.ts'

export class CardStats implements RoomListener {
  /** Cards whose figures wait to be written, by card id, with the document to read them from. */
  private readonly pending = new Map<string, Y.Doc>()
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly repository: Cards,
    private readonly logger: Logger,
    private readonly delayMs = 1000,
  ) {}

  /** After a room's updates were stored. */
  readonly stored = (room: StoredRoom): void => {
    const parsed = parseDocumentName(room.name)
    if (parsed?.kind !== DocumentKind.Card) return
    // The latest document of the card: read when the figures are written, not now.
    this.pending.set(parsed.id, room.doc)
    this.timer ??= setTimeout(() => void this.write(), this.delayMs)
  }

  /** Writes the pending figures now (on shutdown). */
  async flush(): Promise<void> {
    await this.write()
  }

  private async write(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.pending.size === 0) return
    const entries = [...this.pending].map(([cardId, doc]) => ({ cardId, stats: cardStats(doc) }))
    this.pending.clear()
    try {
      await this.repository.setManyCardStats(entries)
    } catch (error) {
      this.logger.warn({ cards: entries.length, err: error }, 'card figures not updated')
    }
  }
}
