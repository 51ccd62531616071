/**
 * Suggested paragraph breaks.
 *
 * A paragraph break has no characters to carry a mark, and our schema lets no block node carry
 * one (y-tiptap would not store it either). So a break that a suggester adds is recorded by a
 * *break marker*: a zero-width space with the insertion mark, as the first character of the
 * textblock that the break starts. Rejecting the insertion joins that textblock back into the one
 * before it (or removes it, when all of it was suggested); accepting it drops the marker and keeps
 * the break. A marker that someone else suggests deleting carries their deletion mark as well.
 *
 * Only a zero-width space with an insertion mark at offset 0 is a marker: the engine turns zero
 * -width spaces in the text a suggester inserts into word joiners, so no other can look like one.
 */
import type { Node as PMNode, ResolvedPos } from '@tiptap/pm/model'
import type { SuggestionMarkTypes } from './suggestionMarks.ts'

/** The character of a break marker. */
export const BLOCK_BREAK = '\u200b'
/** What a zero-width space typed or pasted by a suggester becomes (also invisible, not a marker). */
export const BLOCK_BREAK_STAND_IN = '\u2060'

/** Whether `node` (the first child of a textblock) begins with a break marker. */
export function startsWithBreakMarker(node: PMNode | null, types: SuggestionMarkTypes): boolean {
  return (
    node?.isText === true &&
    (node.text ?? '').startsWith(BLOCK_BREAK) &&
    types.insertion.isInSet(node.marks) !== undefined
  )
}

/** The text node that holds the break marker of the textblock whose content starts at `pos`. */
export function breakMarkerAt(doc: PMNode, pos: number, types: SuggestionMarkTypes): PMNode | null {
  const $pos = doc.resolve(pos)
  if (!$pos.parent.isTextblock || $pos.parentOffset !== 0) return null
  const first = $pos.parent.firstChild
  return startsWithBreakMarker(first, types) ? first : null
}

/** Whether `$pos` is the start of a textblock whose first character is a break marker. */
export function isBeforeBreakMarker($pos: ResolvedPos, types: SuggestionMarkTypes): boolean {
  return (
    $pos.parent.isTextblock &&
    $pos.parentOffset === 0 &&
    startsWithBreakMarker($pos.parent.firstChild, types)
  )
}

/** The content starts of the textblocks that begin inside (from, to]: the breaks in that range. */
export function textblockStartsIn(doc: PMNode, from: number, to: number): number[] {
  const starts: number[] = []
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isTextblock) return true
    if (pos + 1 > from && pos + 1 <= to) starts.push(pos + 1)
    return false
  })
  return starts
}

/** The content end of the last textblock that ends before `pos`; null when there is none. */
export function previousTextblockEnd(doc: PMNode, pos: number): number | null {
  let end: number | null = null
  doc.nodesBetween(0, pos, (node, nodePos) => {
    if (!node.isTextblock) return true
    const contentEnd = nodePos + node.nodeSize - 1
    if (contentEnd < pos && nodePos + 1 < pos) end = contentEnd
    return false
  })
  return end
}
