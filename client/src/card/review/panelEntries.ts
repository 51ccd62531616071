/**
 * The side panel's list: suggestion groups and threads, merged in document order; orphaned
 * threads (their text was deleted) at the end. A thread on a pending suggestion is shown with the
 * suggestion, not here; once the suggestion is decided, its thread is listed like the others.
 */
import type { SuggestionGroup } from './suggestions.ts'
import type { ThreadView } from './threads.ts'

export type PanelFilters = {
  suggestions: boolean
  openThreads: boolean
  resolvedThreads: boolean
}

export type PanelEntry =
  | { type: 'suggestions'; key: string; group: SuggestionGroup }
  | { type: 'thread'; key: string; thread: ThreadView }

export function panelEntries(
  groups: readonly SuggestionGroup[],
  threads: readonly ThreadView[],
  filters: PanelFilters,
): PanelEntry[] {
  const positioned: Array<{ entry: PanelEntry; position: number; order: number }> = []
  let order = 0
  if (filters.suggestions) {
    for (const group of groups) {
      const position = Math.min(...group.suggestions.map((suggestion) => suggestion.from))
      positioned.push({
        entry: { type: 'suggestions', key: `s:${group.key}`, group },
        position,
        order: order++,
      })
    }
  }
  const pending = new Set(groups.flatMap((group) => group.suggestions.map((s) => s.id)))
  for (const thread of threads) {
    if (thread.suggestionId !== null && pending.has(thread.suggestionId)) continue
    if (thread.resolved ? !filters.resolvedThreads : !filters.openThreads) continue
    positioned.push({
      entry: { type: 'thread', key: `t:${thread.id}`, thread },
      position: thread.anchor?.from ?? Number.POSITIVE_INFINITY,
      order: order++,
    })
  }
  return positioned
    .sort((a, b) => a.position - b.position || a.order - b.order)
    .map((item) => item.entry)
}
