/**
 * Due dates near: once an hour (and at start), every card not final that is due within
 * DUE_SOON_DAYS puts an item in the inbox of the people of each assigned ministry that has not
 * cleared its current text. One item per person, card and due date (a moved due date is news).
 */
import { DUE_SOON_DAYS, missingClearances } from '@kartu/protocol'
import type { Logger } from '../collab/types.ts'
import type { SignOffRecords } from '../store/types.ts'
import type { Inbox } from './inbox.ts'

const DAY_MS = 86_400_000

/** The calendar day of `at` in the time zone, as YYYY-MM-DD. */
export function dayIn(timeZone: string, at: number): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
}

export class DueDates {
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly records: Pick<SignOffRecords, 'listCardsDueBy'>,
    private readonly inbox: Inbox,
    private readonly options: { timeZone: string; intervalMs: number },
    private readonly logger: Logger,
  ) {}

  start(): void {
    const tick = () => {
      this.sweep().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'due dates not swept'),
      )
    }
    tick()
    this.timer = setInterval(tick, this.options.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** One sweep; returns how many items it added. */
  async sweep(now = Date.now()): Promise<number> {
    const lastDay = dayIn(this.options.timeZone, now + DUE_SOON_DAYS * DAY_MS)
    let added = 0
    for (const card of await this.records.listCardsDueBy(lastDay)) {
      for (const ministryId of missingClearances(card)) {
        const people = await this.inbox.peopleOfMinistry(card.deckId, ministryId)
        const items = await this.inbox.deliver(
          {
            kind: 'due_soon',
            deckId: card.deckId,
            cardId: card.id,
            actorUserId: null,
            details: { dueDate: card.dueDate, ministry: ministryId },
            dedupeKey: `due:${card.id}:${card.dueDate}`,
          },
          people,
        )
        added += items.length
      }
    }
    return added
  }
}
