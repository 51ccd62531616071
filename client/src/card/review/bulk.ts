/**
 * Which suggestions a decision covers. Alternatives compete for the same words: accepting one of
 * them rejects the others with it, and a bulk accept that would pick two of the same group leaves
 * that group to be decided one by one.
 */
import { DecisionOutcome } from '@kartu/schema'
import type { DecisionRequest } from './decisions.ts'
import type { SuggestionGroup, SuggestionView } from './suggestions.ts'

export type PlannedDecision = DecisionRequest & {
  /** Suggestions left undecided because they compete with another chosen one. */
  skipped: SuggestionView[]
}

export function planDecision(
  groups: readonly SuggestionGroup[],
  chosen: (suggestion: SuggestionView) => boolean,
  accept: boolean,
  reason: string,
): PlannedDecision {
  const accepted: SuggestionView[] = []
  const rejected: SuggestionView[] = []
  const skipped: SuggestionView[] = []
  for (const group of groups) {
    const picked = group.suggestions.filter(chosen)
    if (picked.length === 0) continue
    if (!accept) {
      rejected.push(...picked)
    } else if (group.suggestions.length === 1 || picked.length === 1) {
      accepted.push(...picked)
      rejected.push(...group.suggestions.filter((suggestion) => !picked.includes(suggestion)))
    } else {
      skipped.push(...picked)
    }
  }
  return {
    accept: accepted,
    reject: rejected,
    rejectOutcome: DecisionOutcome.Rejected,
    reason,
    skipped,
  }
}

/** Taking back one's own suggestion: a rejection recorded as withdrawn. */
export function planWithdrawal(suggestion: SuggestionView): DecisionRequest {
  return {
    accept: [],
    reject: [suggestion],
    rejectOutcome: DecisionOutcome.Withdrawn,
    reason: '',
  }
}

/** Ministries that have pending suggestions, by id, with how many. */
export function suggestionsByMinistry(suggestions: readonly SuggestionView[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const suggestion of suggestions) {
    const ministryId = suggestion.author?.ministryId
    if (ministryId) counts.set(ministryId, (counts.get(ministryId) ?? 0) + 1)
  }
  return counts
}
