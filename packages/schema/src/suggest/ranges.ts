/** Ranges of document positions, and merging them before they are deleted. */

export type Range = { from: number; to: number }

/**
 * The union of `ranges` as sorted, disjoint ranges. Touching ranges are merged too, so that one
 * deletion removes the paragraph break between two pieces that both go.
 */
export function mergeRanges<R extends Range>(
  ranges: readonly R[],
  combine: (a: R, b: R) => R = (a, b) => ({ ...a, to: Math.max(a.to, b.to) }),
): R[] {
  const sorted = [...ranges].filter((r) => r.to > r.from).sort((a, b) => a.from - b.from)
  const merged: R[] = []
  for (const range of sorted) {
    const last = merged[merged.length - 1]
    if (last && range.from <= last.to) merged[merged.length - 1] = combine(last, range)
    else merged.push(range)
  }
  return merged
}
