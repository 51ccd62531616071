/**
 * Turning one replacement (a deleted range and the content put in its place) into suggestions on
 * a transform: the deleted text is kept with a deletion mark, the new content goes after it with
 * an insertion mark. See suggestTransaction.ts for the rules this implements.
 */
import { Fragment, type Node as PMNode, Slice } from '@tiptap/pm/model'
import { ReplaceStep, type Transform } from '@tiptap/pm/transform'
import {
  BLOCK_BREAK,
  BLOCK_BREAK_STAND_IN,
  breakMarkerAt,
  isBeforeBreakMarker,
  previousTextblockEnd,
  startsWithBreakMarker,
  textblockStartsIn,
} from './blockBreak.ts'
import { mergeRanges, type Range } from './ranges.ts'
import {
  deletionIds,
  insertionIds,
  isDeleted,
  type SuggestionMarkTypes,
} from './suggestionMarks.ts'

export type SuggestContext = {
  types: SuggestionMarkTypes
  isOwn: (id: string) => boolean
  /**
   * Whether text that others already suggested deleting gets the user's deletion mark too. Yes
   * when the user deleted or replaced a selection: their suggestion must stand on its own if the
   * other one is rejected (and the two compete). No for a Backspace or Delete key press: moving
   * through struck text then only moves the cursor.
   */
  overDeleted: boolean
  /** The id for this change: decided once, on first use (see continuedId). */
  id: () => string
}

/** Whether every insertion mark on `node` is the user's own (and there is at least one). */
function isOwnInsertion(node: PMNode, ctx: SuggestContext): boolean {
  const ids = insertionIds(node, ctx.types)
  return ids.length > 0 && ids.every(ctx.isOwn)
}

function ownDeletion(node: PMNode, ctx: SuggestContext): boolean {
  return deletionIds(node, ctx.types).some(ctx.isOwn)
}

function ownIds(node: PMNode | null | undefined, ctx: SuggestContext): string[] {
  if (!node?.isInline) return []
  const own = (ids: string[]) => ids.filter(ctx.isOwn)
  return [...own(insertionIds(node, ctx.types)), ...own(deletionIds(node, ctx.types))]
}

/**
 * The id that a change at [from, to) continues: one of the user's own suggestions right before
 * it, inside it, or right after it, in that order (so a word typed letter by letter, or a
 * deletion followed by the words that replace it, is one suggestion). Null: it needs a new id.
 */
export function continuedId(
  doc: PMNode,
  from: number,
  to: number,
  ctx: SuggestContext,
): string | null {
  const before = ownIds(doc.resolve(from).nodeBefore, ctx)
  if (before[0] !== undefined) return before[0]
  let inside: string | null = null
  if (to > from) {
    doc.nodesBetween(from, to, (node) => {
      if (inside !== null) return false
      inside = ownIds(node, ctx)[0] ?? null
      return !node.isInline
    })
  }
  if (inside !== null) return inside
  return ownIds(doc.resolve(to).nodeAfter, ctx)[0] ?? null
}

/**
 * Suggests deleting [from, to): text gets a deletion mark, except the user's own suggested text,
 * which is removed for real, and text already suggested for deletion (see overDeleted). A
 * paragraph break inside the range is removed only when the user suggested it (its marker is
 * theirs); another author's suggested break gets a deletion mark on its marker; an existing break
 * stays (deleting across paragraphs marks their text and does not join them).
 */
export function suggestDeletion(tr: Transform, from: number, to: number, ctx: SuggestContext) {
  const { types } = ctx
  const doc = tr.doc
  const removed: Range[] = []
  const marked: Range[] = []
  const markers = new Set<number>()
  // The breaks in the range, and the one whose marker is the range's first character.
  for (const start of textblockStartsIn(doc, Math.max(0, from - 1), to)) {
    const marker = breakMarkerAt(doc, start, types)
    if (!marker) continue
    markers.add(start)
    if (isOwnInsertion(marker, ctx)) {
      // The user takes back their own paragraph break: join the paragraphs again.
      removed.push({ from: previousTextblockEnd(doc, start) ?? start, to: start + 1 })
    } else if (!isDeleted(marker, types) || (ctx.overDeleted && !ownDeletion(marker, ctx))) {
      marked.push({ from: start, to: start + 1 })
    }
  }
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isInline) return true
    let start = Math.max(pos, from)
    const end = Math.min(pos + node.nodeSize, to)
    if (start === pos && markers.has(pos)) start += 1
    if (start >= end) return false
    // The user's own text goes for real, even when another author suggested deleting it.
    if (isOwnInsertion(node, ctx)) removed.push({ from: start, to: end })
    else if (isDeleted(node, types) && (!ctx.overDeleted || ownDeletion(node, ctx))) return false
    // Only text can keep a mark through Yjs (y-tiptap stores no marks on inline nodes such as
    // hard breaks): those are left in place rather than marked.
    else if (node.isText) marked.push({ from: start, to: end })
    return false
  })
  if (marked.length > 0) {
    const mark = types.deletion.create({ id: ctx.id() })
    for (const range of marked) tr.addMark(range.from, range.to, mark)
  }
  for (const range of mergeRanges(removed).reverse()) tr.delete(range.from, range.to)
}

/**
 * The content a suggester inserts, made fit to be marked: suggestion marks it brought along
 * (copied, or inherited from the text around the cursor) are dropped, copied break markers are
 * dropped (new breaks get new markers), zero-width spaces become word joiners so that none can
 * pass for a marker, and hard breaks become spaces (an inline node cannot carry a suggestion
 * mark through Yjs). Other inline nodes without text are dropped for the same reason.
 *
 * With `dropDeleted`, text suggested for deletion is left out: when a whole paragraph is
 * recreated (made a heading, put in a list), its deleted words are not part of the new text.
 * (Typed text may carry a deletion mark only because it was typed inside deleted words.)
 */
export function prepareInsertedSlice(
  slice: Slice,
  types: SuggestionMarkTypes,
  dropDeleted: boolean,
): Slice {
  const keptMarks = (node: PMNode) =>
    node.marks.filter(
      (mark) =>
        mark.type !== types.insertion && mark.type !== types.deletion && mark.type !== types.format,
    )
  const clean = (fragment: Fragment, parent: PMNode | null): Fragment => {
    const nodes: PMNode[] = []
    fragment.forEach((node, _offset, index) => {
      if (dropDeleted && isDeleted(node, types)) return
      if (node.isText) {
        let text = node.text ?? ''
        if (index === 0 && parent?.isTextblock && startsWithBreakMarker(node, types)) {
          text = text.slice(BLOCK_BREAK.length)
        }
        text = text.replaceAll(BLOCK_BREAK, BLOCK_BREAK_STAND_IN)
        if (text !== '') nodes.push(node.type.schema.text(text, keptMarks(node)))
      } else if (node.isInline) {
        if (node.type.name === 'hardBreak') nodes.push(node.type.schema.text(' ', keptMarks(node)))
      } else {
        nodes.push(node.copy(clean(node.content, node)))
      }
    })
    return Fragment.fromArray(nodes)
  }
  return new Slice(clean(slice.content, null), slice.openStart, slice.openEnd)
}

/**
 * Where inserted content goes, near `pos`: never in front of a break marker (it must stay the
 * first character of its paragraph), and not inside a run of deleted text (deleted words stay
 * whole; the insertion goes after them).
 */
export function insertionPoint(doc: PMNode, pos: number, types: SuggestionMarkTypes): number {
  const $pos = doc.resolve(pos)
  if (!$pos.parent.inlineContent) return pos
  if (isBeforeBreakMarker($pos, types)) return pos + 1
  const before = $pos.nodeBefore
  const after = $pos.nodeAfter
  if (!before || !after || !isDeleted(before, types) || !isDeleted(after, types)) return pos
  let end = pos
  let next: PMNode | null = after
  while (next && isDeleted(next, types)) {
    end += next.nodeSize
    next = doc.resolve(end).nodeAfter
  }
  return end
}

/** `slice` without the single nodes open at both of its ends. */
function innermost(slice: Slice): Slice {
  let { content, openStart, openEnd } = slice
  while (openStart > 0 && openEnd > 0 && content.childCount === 1 && content.firstChild) {
    content = content.firstChild.content
    openStart -= 1
    openEnd -= 1
  }
  return openStart === slice.openStart ? slice : new Slice(content, openStart, openEnd)
}

function hasInlineContent(fragment: Fragment): boolean {
  let found = false
  fragment.descendants((node) => {
    if (node.isInline) found = true
    return !found
  })
  return found
}

export type Insertion = {
  /** Index in tr.steps of the step that inserted the slice unchanged (for mapping), if any. */
  mirrorStep: number | null
  /** Where the inserted content is now, markers included; null when nothing was inserted. */
  range: { from: number; to: number } | null
}

/**
 * Suggests inserting `slice` at `pos`: the content gets the insertion mark, and every paragraph
 * break it adds gets a break marker at the start of the textblock it begins.
 */
export function suggestInsertion(
  tr: Transform,
  pos: number,
  slice: Slice,
  ctx: SuggestContext,
  dropDeleted: boolean,
): Insertion {
  const { types } = ctx
  const prepared = prepareInsertedSlice(slice, types, dropDeleted)
  if (prepared.content.size === 0) return { mirrorStep: null, range: null }
  const at = insertionPoint(tr.doc, pos, types)
  const first = tr.steps.length
  // The slice fits here as it did where the user put it, unless the replaced range spanned
  // different depths: then ProseMirror's replace fits it in.
  let direct = !tr.maybeStep(new ReplaceStep(at, at, prepared)).failed
  if (!direct) {
    // A slice cut from inside one textblock (open at both ends, e.g. text typed over a
    // selection from a list item into a paragraph) is that textblock's inline content here.
    const inner = innermost(prepared)
    direct = inner !== prepared && !tr.maybeStep(new ReplaceStep(at, at, inner)).failed
  }
  if (!direct) {
    // A slice without text that does not fit at one point only carried the structure of a
    // deletion that joined blocks (ProseMirror widens a deleted selection that starts a
    // block): inserting it would split a paragraph nobody asked to split.
    if (!hasInlineContent(prepared.content)) return { mirrorStep: null, range: null }
    tr.replace(at, at, prepared)
  }
  if (tr.steps.length === first) return { mirrorStep: null, range: null }
  const inserted = tr.mapping.slice(first)
  const start = inserted.map(at, -1)
  let end = inserted.map(at, 1)
  const mark = types.insertion.create({ id: ctx.id() })
  const breaks = textblockStartsIn(tr.doc, start, end)
  for (const blockStart of breaks.reverse()) {
    tr.insert(blockStart, types.insertion.schema.text(BLOCK_BREAK, [mark]))
    end += 1
  }
  tr.addMark(start, end, mark)
  return {
    mirrorStep: direct && prepared.size === slice.size ? first : null,
    range: { from: start, to: end },
  }
}
