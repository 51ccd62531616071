/**
 * What a card's `?compare=<versionId>` opens in the sign-off panel (a stale clearance's inbox
 * link names the version that holds the text the person cleared): that clearance's "see
 * changes since", or, when no clearance holds that version any more (cleared again since,
 * withdrawn), the same comparison on its own: that version against the answer now.
 */
import type { MinistrySignOff } from './signOffState.ts'

export type LinkedComparison =
  /** The row of the ministry whose stale clearance holds the version, opened. */
  | { kind: 'clearance'; ministryId: string }
  /** No row has it: the version compared with the answer now, under its own heading. */
  | { kind: 'version'; versionId: string }

/**
 * Where the link leads, or null without one. The person's own ministry first when several
 * cleared the same text: the link was theirs. A current clearance has nothing to compare (its
 * row has no "see changes since"), so it leads to the comparison on its own, which says so.
 */
export function linkedComparison(
  entries: readonly MinistrySignOff[],
  versionId: string | null,
  myMinistryId: string,
): LinkedComparison | null {
  if (versionId === null) return null
  const holding = entries.filter(
    (entry) => entry.state === 'stale' && entry.clearance?.versionId === versionId,
  )
  const row = holding.find((entry) => entry.ministryId === myMinistryId) ?? holding[0]
  return row ? { kind: 'clearance', ministryId: row.ministryId } : { kind: 'version', versionId }
}
