/**
 * Deciding suggestions: the one routine behind accept, reject, "as if all rejected" and "as if
 * all accepted". Every decision of a call is computed on the document as it is, then applied in
 * one go, so deciding several overlapping suggestions together does not depend on their order.
 *
 * - Accepted insertion: its mark goes, the text stays; its break markers go, the breaks stay.
 * - Rejected insertion: its text goes; each of its breaks goes (the textblock joins the one
 *   before it, or goes entirely when nothing else is left in it).
 * - Accepted deletion: its text goes; a paragraph break between two parts of one deletion goes
 *   with it (one deletion across paragraphs joins them, as the edit would have); a textblock whose
 *   whole text goes, partly or fully by an accepted deletion, goes too.
 * - Rejected deletion: its mark goes, the text stays.
 * Text that carries several suggestions goes when any decision removes it.
 */
import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import type { Transform } from '@tiptap/pm/transform'
import { startsWithBreakMarker } from './blockBreak.ts'
import { mergeRanges } from './ranges.ts'
import { type SuggestionMarkTypes, suggestionIdOf, suggestionMarkTypes } from './suggestionMarks.ts'

export const Resolution = {
  Accept: 'accept',
  Reject: 'reject',
} as const
export type Resolution = (typeof Resolution)[keyof typeof Resolution]

/** What to do with a suggestion id; null leaves it pending. */
export type Resolver = (id: string) => Resolution | null

type Piece = {
  from: number
  to: number
  /** Accepted deletion ids on it (non-empty: removed because a deletion was accepted). */
  acceptedDeletions: string[]
  removed: boolean
  /** Marks to take off when the piece stays. */
  dropMarks: Mark[]
}

type Block = {
  pos: number
  end: number
  contentStart: number
  contentEnd: number
  pieces: Piece[]
  /** What happens to the break this textblock starts, when it begins with a break marker. */
  marker: 'none' | 'kept' | 'break-goes' | 'marker-goes'
  whole: boolean
}

/**
 * A range to remove. `widen`: whole textblocks, or text of an accepted deletion; removed with
 * deleteRange, which also takes the list items and lists left empty, and joins the paragraphs
 * on both sides of a list removed in between (as deleting a selection does).
 */
type Removal = { from: number; to: number; widen: boolean }

function pieceOf(
  node: PMNode,
  from: number,
  to: number,
  types: SuggestionMarkTypes,
  decide: Resolver,
): Piece {
  const piece: Piece = { from, to, acceptedDeletions: [], removed: false, dropMarks: [] }
  for (const mark of node.marks) {
    if (mark.type !== types.insertion && mark.type !== types.deletion) continue
    const id = suggestionIdOf(mark)
    const decision = id === null ? null : decide(id)
    if (decision === null || id === null) continue
    const insertion = mark.type === types.insertion
    if (insertion === (decision === Resolution.Reject)) {
      piece.removed = true
      if (!insertion) piece.acceptedDeletions.push(id)
    } else {
      piece.dropMarks.push(mark)
    }
  }
  return piece
}

function readBlocks(doc: PMNode, types: SuggestionMarkTypes, decide: Resolver): Block[] {
  const blocks: Block[] = []
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    const contentStart = pos + 1
    const block: Block = {
      pos,
      end: pos + node.nodeSize,
      contentStart,
      contentEnd: pos + node.nodeSize - 1,
      pieces: [],
      marker: 'none',
      whole: false,
    }
    node.forEach((child, offset, index) => {
      const from = contentStart + offset
      const to = from + child.nodeSize
      if (index === 0 && startsWithBreakMarker(child, types)) {
        // The marker is a piece of its own: its fate is the break's.
        const marker = pieceOf(child, from, from + 1, types, decide)
        const accepted = marker.dropMarks.some((mark) => mark.type === types.insertion)
        block.marker = marker.removed ? 'break-goes' : accepted ? 'marker-goes' : 'kept'
        if (block.marker === 'kept') block.pieces.push(marker)
        if (to > from + 1) block.pieces.push(pieceOf(child, from + 1, to, types, decide))
      } else {
        block.pieces.push(pieceOf(child, from, to, types, decide))
      }
    })
    blocks.push(block)
    return false
  })
  for (const block of blocks) {
    const emptied = block.pieces.every((piece) => piece.removed)
    const hadText = block.contentEnd > block.contentStart
    block.whole =
      hadText &&
      emptied &&
      (block.marker === 'break-goes' ||
        block.pieces.some((piece) => piece.acceptedDeletions.length > 0))
  }
  // The document keeps at least one textblock.
  const first = blocks[0]
  if (first && blocks.every((block) => block.whole)) first.whole = false
  return blocks
}

/** Whether an accepted deletion covers `a`, `b` and all of `between`. */
function sharedDeletion(a: Piece, b: Piece, between: readonly Piece[]): boolean {
  return a.acceptedDeletions.some(
    (id) =>
      b.acceptedDeletions.includes(id) &&
      between.every((piece) => piece.acceptedDeletions.includes(id)),
  )
}

/**
 * Whether [from, to) of `doc` holds no inline content but that of `covered` (only boundaries
 * between blocks, and textblocks removed whole).
 */
function onlyBoundaries(doc: PMNode, from: number, to: number, covered: readonly Piece[]): boolean {
  let other = false
  doc.nodesBetween(from, to, (node, pos) => {
    if (node.isInline) {
      other ||= !covered.some((piece) => piece.from <= pos && pos + node.nodeSize <= piece.to)
    }
    return !other
  })
  return !other
}

/** Adds to `tr` the steps that carry out `decide` on the suggestions of `tr.doc`. */
export function resolveSuggestions(tr: Transform, decide: Resolver): void {
  const doc = tr.doc
  const types = suggestionMarkTypes(doc.type.schema)
  const blocks = readBlocks(doc, types, decide)
  const removals: Removal[] = []
  /** Removed pieces, in document order; `covered` when a whole-block removal takes them. */
  const segments: Array<Piece & { covered?: boolean }> = []
  let previous: Block | null = null
  for (const block of blocks) {
    if (block.whole) {
      removals.push({ from: block.pos, to: block.end, widen: true })
      // Its text still links the deletion before it to the one after it (see below).
      for (const piece of block.pieces) segments.push({ ...piece, covered: true })
      continue
    }
    if (block.marker === 'break-goes') {
      // The suggested break goes: join with the nearest textblock that stays.
      const from = previous ? previous.contentEnd : block.contentStart
      removals.push({ from, to: block.contentStart + 1, widen: false })
    } else if (block.marker === 'marker-goes') {
      removals.push({ from: block.contentStart, to: block.contentStart + 1, widen: false })
    }
    for (const piece of block.pieces) {
      if (piece.removed) segments.push(piece)
      else {
        for (const mark of piece.dropMarks) tr.removeMark(piece.from, piece.to, mark)
      }
    }
    previous = block
  }
  // One accepted deletion across paragraph breaks removes the breaks too: the removal of two of
  // its pieces in different textblocks is joined into one, when nothing but breaks and whole
  // textblocks it removes lie between them.
  let previousOpen: (typeof segments)[number] | null = null
  const between: Array<(typeof segments)[number]> = []
  for (const segment of segments) {
    if (segment.covered) {
      between.push(segment)
      continue
    }
    const accepted = segment.acceptedDeletions.length > 0
    removals.push({ from: segment.from, to: segment.to, widen: accepted })
    const before = previousOpen
    if (
      before &&
      segment.from > before.to &&
      sharedDeletion(before, segment, between) &&
      onlyBoundaries(doc, before.to, segment.from, between)
    ) {
      removals.push({ from: before.to, to: segment.from, widen: true })
    }
    previousOpen = segment
    between.length = 0
  }
  const merged = mergeRanges(removals, (a, b) => ({
    from: a.from,
    to: Math.max(a.to, b.to),
    widen: a.widen && b.widen,
  }))
  const start = tr.steps.length
  for (const removal of merged.reverse()) {
    const mapping = tr.mapping.slice(start)
    const from = mapping.map(removal.from, 1)
    const to = mapping.map(removal.to, -1)
    if (to <= from) continue
    if (removal.widen) tr.deleteRange(from, to)
    else tr.delete(from, to)
  }
}
