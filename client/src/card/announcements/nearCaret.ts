/**
 * Whether a change is near the person's caret: in the paragraph (or other block of text) the
 * caret or selection is in, or within NEAR_CHARS positions of it. Positions are ProseMirror's.
 */
import type { Node } from '@tiptap/pm/model'

export type Range = { readonly from: number; readonly to: number }

/** Roughly a line or two of text either side of the caret. */
export const NEAR_CHARS = 100

/**
 * Where `after` differs from `before`, in `after`'s positions. A remote change replaces the whole
 * document in ProseMirror's eyes (y-prosemirror rebuilds it), so its steps say nothing of where
 * the text changed; the two documents do.
 */
export function changedRange(before: Node, after: Node): Range | null {
  const from = before.content.findDiffStart(after.content)
  if (from === null) return null
  const end = after.content.findDiffEnd(before.content)
  // findDiffEnd from `after`'s side: `a` is in `after`. Repeated characters can put it before
  // `from` (the same text could have been inserted at either end).
  const to = end === null ? from : Math.max(from, end.a)
  return { from, to }
}

/**
 * The blocks of text the selection is in, from the start of the first to the end of the last;
 * the selection itself where it is not in text (a whole block chosen, say).
 */
export function blockAround(doc: Node, selection: Range): Range {
  const size = doc.content.size
  const $from = doc.resolve(Math.max(0, Math.min(size, selection.from)))
  const $to = doc.resolve(Math.max(0, Math.min(size, selection.to)))
  if (!$from.parent.isTextblock || !$to.parent.isTextblock) return selection
  return { from: $from.start(), to: $to.end() }
}

/** The change touches the caret's block, or is within `near` positions of the caret. */
export function isNearCaret(
  change: Range,
  caret: Range,
  block: Range,
  near: number = NEAR_CHARS,
): boolean {
  if (change.from <= block.to && block.from <= change.to) return true
  const gap = Math.max(0, change.from - caret.to, caret.from - change.to)
  return gap <= near
}
