/**
 * Gathers the card documents whose updates were stored and hands them over once per interval,
 * for listeners that read a whole card after it changed (the card figures, the clearance
 * watcher, the search index): a card typed into for a minute is read about once a second, not on
 * every keystroke, and many cards changed at once are written in a few transactions, not one
 * per card.
 *
 * Reading a card (walking its document) and writing what was read (better-sqlite3 is
 * synchronous) both run on the rooms' event loop, so both are background work in slices of
 * about `sliceMs` (backgroundWork.ts): the search index alone, tokenizing a hundred answers in
 * one transaction, held the loop for about 15 ms.
 */
import { DocumentKind, parseDocumentName } from '@kartu/protocol'
import type * as Y from 'yjs'
import { PacedWrites, SliceClock } from './backgroundWork.ts'
import type { RoomListener, StoredRoom } from './roomListener.ts'
import type { Logger } from './types.ts'

export type CardValues<V> = ReadonlyArray<{ cardId: string; value: V }>

export type StoredCardWork<V> = {
  /** Names the work in logs ("card figures"). */
  what: string
  /**
   * What the listener needs of one card, read from its document as it is now. Throwing skips
   * that card (logged); the rest of the batch goes on.
   */
  read: (cardId: string, doc: Y.Doc) => V
  /** Writes the values of one part of a batch, in one transaction (see PacedWrites). */
  write: (cards: CardValues<V>) => Promise<void>
}

export type StoredCardBatchOptions = {
  delayMs?: number
  /** About how long the reads, and each write, hold the event loop before letting it go. */
  sliceMs?: number
}

export class StoredCardBatch<V = unknown> implements RoomListener {
  private readonly pending = new Map<string, Y.Doc>()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> = Promise.resolve()
  private readonly delayMs: number
  private readonly writes: PacedWrites

  constructor(
    private readonly work: StoredCardWork<V>,
    private readonly logger: Logger,
    options: StoredCardBatchOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 1000
    this.writes = new PacedWrites(options.sliceMs)
  }

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
      const cards = [...this.pending]
      this.pending.clear()
      await this.writeAll(await this.readAll(cards))
    })
    return this.running
  }

  private writeAll(values: CardValues<V>): Promise<void> {
    return this.writes.write(values, this.work.write, (part, error) => {
      // Only these cards' values are lost, until their next change; the others still go.
      this.logger.warn({ cards: part.length, err: error }, `${this.work.what} not updated`)
    })
  }

  private async readAll(cards: ReadonlyArray<[string, Y.Doc]>): Promise<CardValues<V>> {
    const values: Array<{ cardId: string; value: V }> = []
    const slices = new SliceClock(this.writes.sliceMs)
    for (const [cardId, doc] of cards) {
      await slices.next()
      // A card edited again while the loop was let go is read as it is now, and stays marked
      // for the next batch too (stored() set it again): nothing is read stale for long.
      try {
        values.push({ cardId, value: this.work.read(cardId, doc) })
      } catch (error) {
        this.logger.warn({ card: cardId, err: error }, `${this.work.what}: card not read`)
      }
    }
    return values
  }
}
