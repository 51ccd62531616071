/**
 * Where a card's sign-off stands (Kartu issue 16): each assigned ministry's clearance of the
 * answer, and what the signed-in person may do about their own ministry's. Pure, so the panel,
 * the header's summary and the tests read the same answer.
 */
import {
  assignedMinistries,
  type Card,
  type Clearance,
  missingClearances,
  Role,
} from '@kartu/protocol'

/** Cleared the answer as it is now; cleared a text since changed (stale); not cleared. */
export type ClearanceState = 'cleared' | 'stale' | 'missing'

export type MinistrySignOff = {
  ministryId: string
  /** The lead answers the card; contributing ministries add to it. Both must clear. */
  part: 'lead' | 'contributing'
  state: ClearanceState
  /** The ministry's clearance, current or stale; null when it has none. */
  clearance: Clearance | null
}

type SignOffCard = Pick<Card, 'leadMinistry' | 'contributingMinistries' | 'clearances'>

/** Each assigned ministry, lead first, with its clearance and what that clearance is worth. */
export function ministrySignOffs(card: SignOffCard): MinistrySignOff[] {
  const byMinistry = new Map(card.clearances.map((clearance) => [clearance.ministryId, clearance]))
  return assignedMinistries(card).map((ministryId) => {
    const clearance = byMinistry.get(ministryId) ?? null
    let state: ClearanceState = 'missing'
    if (clearance) state = clearance.current ? 'cleared' : 'stale'
    return {
      ministryId,
      part: ministryId === card.leadMinistry ? 'lead' : 'contributing',
      state,
      clearance,
    }
  })
}

/** "2 of 3 ministries cleared": current clearances of the assigned ministries only. */
export function signOffProgress(card: SignOffCard): { cleared: number; total: number } {
  const total = assignedMinistries(card).length
  return { cleared: total - missingClearances(card).length, total }
}

/** The roles that change the answer may clear it for their ministry (the server checks too). */
const CLEARING_ROLES: ReadonlySet<Role> = new Set([Role.Chair, Role.Editor, Role.Suggester])

type Person = {
  /** The person's role on the card's deck. */
  role: Role
  /** The person's own ministry; clearing is always for it, never for another's. */
  ministryId: string
}

/**
 * The person may clear the answer now: a role that works on the text, their ministry assigned
 * to the card, its clearance missing or stale, and the card not final (the server says
 * `card_final` then).
 */
export function canClear(card: SignOffCard & Pick<Card, 'status'>, person: Person): boolean {
  if (card.status === 'final' || !CLEARING_ROLES.has(person.role)) return false
  return missingClearances(card).includes(person.ministryId)
}

/**
 * The person may withdraw `ministryId`'s clearance: their own ministry's (with a role that could
 * have given it), or any ministry's for the chair. Not on a final card: the chair reopens it
 * first, by choosing another status.
 */
export function canWithdraw(
  card: SignOffCard & Pick<Card, 'status'>,
  person: Person,
  ministryId: string,
): boolean {
  if (card.status === 'final') return false
  if (!card.clearances.some((clearance) => clearance.ministryId === ministryId)) return false
  if (person.role === Role.Chair) return true
  return CLEARING_ROLES.has(person.role) && person.ministryId === ministryId
}
