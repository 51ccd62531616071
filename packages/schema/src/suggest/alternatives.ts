/**
 * Competing suggestions: different suggestions for the same original words, among which the
 * chair picks one (accepting it and rejecting the others).
 */
import { SuggestionKind } from '../cardLayout.ts'
import type { SuggestionSpan } from './review.ts'

export type AlternativesOptions = {
  /**
   * Whether two suggestions have the same author: those never compete with each other (they
   * may still end up in one group through a third). Without it, authors are not considered.
   */
  sameAuthor?: (a: string, b: string) => boolean
}

const overlaps = (a: SuggestionSpan, b: SuggestionSpan): boolean => a.from < b.to && b.from < a.to
const touches = (a: SuggestionSpan, b: SuggestionSpan): boolean => a.from <= b.to && b.from <= a.to

/**
 * Whether two parts of different suggestions compete: deletions of overlapping text; an
 * insertion inside or at the edge of another's deletion; two insertions at the same place.
 * Deletions that only touch do not compete (both can be accepted).
 */
function competes(a: SuggestionSpan, b: SuggestionSpan): boolean {
  if (a.kind === SuggestionKind.Delete && b.kind === SuggestionKind.Delete) return overlaps(a, b)
  return touches(a, b)
}

/**
 * Groups of competing suggestion ids (two or more each), in document order of their first part;
 * the ids of a group in document order too. Competition is transitive: A against B and B against
 * C puts all three in one group.
 */
export function groupAlternatives(
  spans: readonly SuggestionSpan[],
  options: AlternativesOptions = {},
): string[][] {
  const order = new Map<string, number>()
  const sorted = [...spans].sort((a, b) => a.from - b.from)
  for (const span of sorted) if (!order.has(span.id)) order.set(span.id, order.size)
  const parent = new Map<string, string>()
  const root = (id: string): string => {
    let current = id
    for (let up = parent.get(current); up !== undefined && up !== current; up = parent.get(up)) {
      current = up
    }
    return current
  }
  for (const id of order.keys()) parent.set(id, id)
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]
    if (!a) continue
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]
      if (!b) continue
      // Sorted by start: nothing further can reach back to a.
      if (b.from > a.to) break
      if (a.id === b.id || !competes(a, b)) continue
      if (options.sameAuthor?.(a.id, b.id)) continue
      const ra = root(a.id)
      const rb = root(b.id)
      if (ra === rb) continue
      // The root is the earlier id, so that a group's key is stable.
      if ((order.get(ra) ?? 0) < (order.get(rb) ?? 0)) parent.set(rb, ra)
      else parent.set(ra, rb)
    }
  }
  const groups = new Map<string, string[]>()
  for (const id of order.keys()) {
    const key = root(id)
    const group = groups.get(key)
    if (group) group.push(id)
    else groups.set(key, [id])
  }
  return [...groups.values()].filter((group) => group.length > 1)
}
