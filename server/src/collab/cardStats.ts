/**
 * Keeps each card's word count in SQL up to date with its answer, so the dashboard can list it
 * without loading every card document. Debounced: typing does not cost a write per keystroke.
 */
import { DocumentKind, parseDocumentName } from '@kartu/protocol'
import { ANSWER_FIELD, countWords, fragmentToPlainText } from '@kartu/schema'
import type { Repository } from '../store/types.ts'
import type { Room } from './Room.ts'
import type { Logger } from './types.ts'

export function answerWordCount(room: Room): number {
  return countWords(fragmentToPlainText(room.doc.getXmlFragment(ANSWER_FIELD)))
}

export class CardStats {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; run: () => Promise<void> }>()

  constructor(
    private readonly repository: Repository,
    private readonly logger: Logger,
    private readonly delayMs = 1000,
  ) {}

  /** Call after a room's updates were stored. */
  readonly onStored = (room: Room): void => {
    const parsed = parseDocumentName(room.name)
    if (parsed?.kind !== DocumentKind.Card || this.timers.has(room.name)) return
    const cardId = parsed.id
    const run = async () => {
      this.timers.delete(room.name)
      try {
        await this.repository.setWordCount(cardId, answerWordCount(room))
      } catch (error) {
        this.logger.warn({ room: room.name, err: error }, 'word count not updated')
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
