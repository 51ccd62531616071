/**
 * Gathers the card documents whose updates were stored and hands them over once per interval,
 * for listeners that read a whole card after it changed (the clearance watcher, the search
 * index): a card typed into for a minute is read about once a second, not on every keystroke,
 * and many cards changed at once are written in one transaction.
 */
import { DocumentKind, parseDocumentName } from '@kartu/protocol'
import type * as Y from 'yjs'
import type { RoomListener, StoredRoom } from './roomListener.ts'
import type { Logger } from './types.ts'

export type CardDocuments = ReadonlyArray<{ cardId: string; doc: Y.Doc }>

export class StoredCardBatch implements RoomListener {
  private readonly pending = new Map<string, Y.Doc>()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> = Promise.resolve()

  constructor(
    private readonly what: string,
    private readonly handle: (cards: CardDocuments) => Promise<void>,
    private readonly logger: Logger,
    private readonly delayMs = 1000,
  ) {}

  readonly stored = (room: StoredRoom): void => {
    const parsed = parseDocumentName(room.name)
    if (parsed?.kind !== DocumentKind.Card) return
    // The document is read when the batch runs, as it is then, not now.
    this.pending.set(parsed.id, room.doc)
    this.timer ??= setTimeout(() => void this.run(), this.delayMs)
  }

  /** Handles what is pending now (on shutdown, and in tests). */
  async flush(): Promise<void> {
    await this.run()
  }

  private run(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    // One batch at a time, in order: a later one must not be overtaken by an earlier one.
    this.running = this.running.then(async () => {
      if (this.pending.size === 0) return
      const cards = [...this.pending].map(([cardId, doc]) => ({ cardId, doc }))
      this.pending.clear()
      try {
        await this.handle(cards)
      } catch (error) {
        this.logger.warn({ cards: cards.length, err: error }, `${this.what} not updated`)
      }
    })
    return this.running
  }
}
