/**
 * Placing the cursor in recreated content. When the engine recreates blocks (a paragraph made a
 * heading), its copy leaves out deleted words and break markers, so positions inside it do not
 * correspond one to one. What corresponds is what the user sees: the start of the range, the
 * start of each textblock and the end of each visible character, in order.
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import { BLOCK_BREAK, startsWithBreakMarker } from './blockBreak.ts'
import { isDeleted, type SuggestionMarkTypes } from './suggestionMarks.ts'

/** The cursor stops of [from, to] of `doc`, in order. */
export function cursorStops(
  doc: PMNode,
  from: number,
  to: number,
  types: SuggestionMarkTypes,
): number[] {
  const stops = [from]
  doc.nodesBetween(from, to, (node, pos, parent, index) => {
    if (node.isTextblock) {
      const start = pos + 1
      if (start > from && start <= to) {
        stops.push(start + (startsWithBreakMarker(node.firstChild, types) ? 1 : 0))
      }
      return true
    }
    if (!node.isInline || isDeleted(node, types)) return false
    const marker = index === 0 && parent?.isTextblock === true && startsWithBreakMarker(node, types)
    const first = marker ? BLOCK_BREAK.length : 0
    for (let offset = first; offset < node.nodeSize; offset++) {
      const stop = pos + offset + 1
      if (stop > from && stop <= to) stops.push(stop)
    }
    return false
  })
  return stops
}

/** The index of the last stop at or before `pos`. */
export function stopIndex(stops: readonly number[], pos: number): number {
  let index = 0
  stops.forEach((stop, i) => {
    if (stop <= pos) index = i
  })
  return index
}
