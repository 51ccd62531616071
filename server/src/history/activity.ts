/**
 * The activity of a deck's cards, or of one card, newest first and filterable by ministry: text
 * edited (one entry per person and minute of typing, with how much, and the suggestions and
 * comments written: the edit recorder's rows), suggestions decided, locks, versions named and
 * restored and card changes (the audit log), rakor sessions closed (the versions). Read from what
 * is recorded anyway; nothing here runs on a keystroke.
 */
import type { ActivityEvent, ActivityKind, PersonRef } from '@kartu/protocol'
import { AuditAction } from '../audit/auditEvents.ts'
import type { Activity, ActivityRow, Cards, Users } from '../store/types.ts'
import { type EditLog, WRITTEN_EDITS } from './editRecorder.ts'

/** The audit actions the feed shows, and what each is called in it. */
const AUDIT_KINDS: ReadonlyMap<string, ActivityKind> = new Map([
  [AuditAction.SuggestionDecided, 'decision'],
  [AuditAction.LockChanged, 'lock'],
  [AuditAction.VersionNamed, 'version'],
  [AuditAction.VersionRestored, 'restore'],
  [AuditAction.CardUpdated, 'card'],
  [AuditAction.SuggestOnlyChanged, 'suggestOnly'],
  [AuditAction.CardAssigned, 'assignment'],
  [AuditAction.ClearanceGiven, 'clearance'],
  [AuditAction.ClearanceWithdrawn, 'clearance'],
  [AuditAction.CardFinalized, 'final'],
])

export const ACTIVITY_DEFAULT_LIMIT = 100

/** The kind a row of the store is shown as. */
function kindOf(row: ActivityRow): ActivityKind {
  if (row.source === 'edit') return 'edit'
  if (row.source === 'version') return 'session'
  return AUDIT_KINDS.get(row.action) ?? 'card'
}

export type ActivityRequest = {
  deckId: string
  cardId: string | null
  /** Only these kinds (null: all): a few rare kinds are then never crowded out by edits. */
  kinds?: readonly ActivityKind[] | null
  ministryId: string | null
  after: number
  limit: number
}

type Detail = string | number | boolean | null

/** Plain values of an audit entry's details (nested ones as their JSON). */
function flatDetails(details: Record<string, unknown>): Record<string, Detail> {
  const out: Record<string, Detail> = {}
  for (const [key, value] of Object.entries(details)) {
    out[key] =
      value === null || ['string', 'number', 'boolean'].includes(typeof value)
        ? (value as Detail)
        : JSON.stringify(value)
  }
  return out
}

export class DeckActivity {
  constructor(
    private readonly repository: Activity & Users & Cards,
    private readonly editLog: EditLog = WRITTEN_EDITS,
  ) {}

  async list(request: ActivityRequest): Promise<ActivityEvent[]> {
    await this.editLog.settle()
    const kinds = request.kinds ?? null
    const rows = (
      await this.repository.listActivity({
        deckId: request.deckId,
        cardId: request.cardId,
        ministryId: request.ministryId,
        after: request.after,
        limit: request.limit,
        actions: [...AUDIT_KINDS]
          .filter(([, kind]) => kinds?.includes(kind) ?? true)
          .map(([a]) => a),
      })
    ).filter((row) => kinds === null || kinds.includes(kindOf(row)))
    const refs = new Map(
      (await this.repository.listCards(request.deckId)).map((card) => [card.id, card.ref]),
    )
    const people = new Map<string, PersonRef | null>()
    const personOf = async (userId: string | null): Promise<PersonRef | null> => {
      if (userId === null) return null
      if (!people.has(userId)) {
        const user = await this.repository.findUserById(userId)
        people.set(userId, user ? { userId, name: user.name, ministryId: user.ministryId } : null)
      }
      return people.get(userId) ?? null
    }
    const events: ActivityEvent[] = []
    // Newest first across the three sources; each was cut at the limit, so the merge is too.
    const sorted = [...rows].sort((a, b) => b.at - a.at).slice(0, request.limit)
    for (const row of sorted) {
      const base = {
        at: row.at,
        cardId: row.cardId,
        cardRef: refs.get(row.cardId) ?? row.cardId,
        person: await personOf(row.userId),
      }
      events.push({ ...base, ...this.describe(row) })
    }
    return events
  }

  private describe(
    row: ActivityRow,
  ): Pick<ActivityEvent, 'kind' | 'details'> & Partial<Pick<ActivityEvent, 'counts'>> {
    switch (row.source) {
      case 'edit':
        return { kind: 'edit', counts: row.counts, details: {} }
      case 'version':
        return { kind: 'session', details: { name: row.name } }
      case 'audit':
        return { kind: kindOf(row), details: flatDetails(row.details) }
    }
  }
}
