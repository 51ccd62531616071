/**
 * The deck dashboard as a work list: the deck's cards filtered for one person (their ministry,
 * what waits for its clearance, what mentions it, what changed since they last looked, what is
 * due soon, what has open suggestions or comments), by status and by cluster.
 */
import {
  assignedMinistries,
  type Card,
  type CardFilter,
  DUE_SOON_DAYS,
  missingClearances,
} from '@kartu/protocol'
import { dayIn } from '../inbox/dueDates.ts'

export type WorkListQuery = {
  filters: readonly CardFilter[]
  /** Statuses to keep (empty: all). */
  statuses: readonly string[]
  /** Clusters to keep (empty: all). */
  clusters: readonly string[]
}

export type WorkListContext = {
  ministryId: string
  /** Cards changed by others since the person's last visit. */
  changedSinceVisit: ReadonlySet<string>
  /** Today in the delegation's time zone, and the last day that counts as due soon. */
  today: string
  dueSoonBy: string
}

export function workListContext(input: {
  ministryId: string
  changedSinceVisit: ReadonlySet<string>
  timeZone: string
  now: number
}): WorkListContext {
  return {
    ministryId: input.ministryId,
    changedSinceVisit: input.changedSinceVisit,
    today: dayIn(input.timeZone, input.now),
    dueSoonBy: dayIn(input.timeZone, input.now + DUE_SOON_DAYS * 86_400_000),
  }
}

function holds(filter: CardFilter, card: Card, context: WorkListContext): boolean {
  switch (filter) {
    case 'mine':
      return assignedMinistries(card).includes(context.ministryId)
    case 'waiting':
      return card.status !== 'final' && missingClearances(card).includes(context.ministryId)
    case 'mentions':
      return card.mentionedMinistries.includes(context.ministryId)
    case 'changed':
      return context.changedSinceVisit.has(card.id)
    case 'due_soon':
      // Overdue cards are due soon too: they are the most urgent.
      return card.status !== 'final' && card.dueDate !== null && card.dueDate <= context.dueSoonBy
    case 'open':
      return card.openSuggestions > 0 || card.openThreads > 0
  }
}

export function filterCards(
  cards: readonly Card[],
  query: WorkListQuery,
  context: WorkListContext,
): Card[] {
  return cards.filter(
    (card) =>
      (query.statuses.length === 0 || query.statuses.includes(card.status)) &&
      (query.clusters.length === 0 || query.clusters.includes(card.cluster)) &&
      query.filters.every((filter) => holds(filter, card, context)),
  )
}

/** A comma-separated list parameter as its values. */
export function listParameter(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}
