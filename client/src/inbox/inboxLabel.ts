/**
 * What an inbox item says, as a translation key and its values: "@Kemnaker disebut oleh Budi
 * (Kemlu) di CC-03", "Saran Anda diterima di CC-05". Pure: names and dates are formatted by the
 * functions the page passes in, in the reader's language.
 */
import type { InboxItem, PersonRef } from '@kartu/protocol'

/** The keys under `inbox.label` of the translations. */
export type InboxLabelKey =
  | 'mentionMinistry'
  | 'mentionYou'
  | 'reply'
  | 'decisionAccepted'
  | 'decisionRejected'
  | 'decisionWithdrawn'
  | 'decision'
  | 'clearanceStale'
  | 'assigned'
  | 'dueSoon'
  | 'dueSoonNoDate'

export type InboxLabel = {
  key: InboxLabelKey
  values: Record<string, string>
  /** The sentence names who did it: the item's byline need not repeat them. */
  namesActor: boolean
}

export type LabelFormatters = {
  /** A ministry's short name ("Kemnaker") from its id. */
  ministry(ministryId: string): string
  /** A person and their ministry: "Budi (Kemlu)". */
  person(person: PersonRef): string
  /** A calendar day (YYYY-MM-DD): "8 Des". */
  day(date: string): string
  /** Said when nobody did it (the server, a date coming near). */
  nobody: string
}

type LabelledItem = Pick<InboxItem, 'kind' | 'cardRef' | 'actor' | 'details'>

/** A detail as text; absent, empty or not a string: null. */
export function detailText(item: Pick<InboxItem, 'details'>, name: string): string | null {
  const value = item.details[name]
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

export function inboxLabel(item: LabelledItem, format: LabelFormatters): InboxLabel {
  const ref = item.cardRef
  const actor = item.actor ? format.person(item.actor) : format.nobody
  const label = (key: InboxLabelKey, values: Record<string, string> = {}, namesActor = false) => ({
    key,
    values: { ref, ...values },
    namesActor,
  })
  switch (item.kind) {
    case 'mention': {
      const ministry = detailText(item, 'ministry')
      return ministry === null
        ? label('mentionYou', { actor }, true)
        : label('mentionMinistry', { actor, ministry: format.ministry(ministry) }, true)
    }
    case 'reply':
      return label('reply')
    case 'decision': {
      const outcome = detailText(item, 'outcome')
      if (outcome === 'accepted') return label('decisionAccepted')
      if (outcome === 'rejected') return label('decisionRejected')
      if (outcome === 'withdrawn') return label('decisionWithdrawn')
      return label('decision')
    }
    case 'clearance_stale':
      return label('clearanceStale')
    case 'assigned':
      return label('assigned')
    case 'due_soon': {
      const date = detailText(item, 'dueDate')
      return date === null ? label('dueSoonNoDate') : label('dueSoon', { date: format.day(date) })
    }
  }
}

/** The words quoted under the label: a comment's words, else the text the item is about. */
export function inboxQuote(item: Pick<InboxItem, 'details'>): string | null {
  return detailText(item, 'excerpt') ?? detailText(item, 'text')
}
