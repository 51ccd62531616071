/**
 * A card's clearances as its dashboard row shows them: how many of its assigned ministries have
 * cleared the current text, and whose clearance went stale when the text changed after it.
 */
import { assignedMinistries, type Card, missingClearances } from '@kartu/protocol'

export type ClearanceSummary = {
  /** Ministries that must clear the card (lead first). */
  assigned: readonly string[]
  /** Of those, how many hold a clearance of the current text. */
  cleared: number
  /** Assigned ministries whose clearance is of an older text. */
  stale: readonly string[]
  /** Assigned ministries with no current clearance (stale ones included). */
  missing: readonly string[]
}

export function clearanceSummary(
  card: Pick<Card, 'leadMinistry' | 'contributingMinistries' | 'clearances'>,
): ClearanceSummary {
  const assigned = assignedMinistries(card)
  const missing = missingClearances(card)
  const staleIds = new Set(
    card.clearances.filter((clearance) => !clearance.current).map((c) => c.ministryId),
  )
  return {
    assigned,
    cleared: assigned.length - missing.length,
    // A ministry cleared again since holds a current clearance: missing says it is not stale.
    stale: missing.filter((id) => staleIds.has(id)),
    missing,
  }
}
