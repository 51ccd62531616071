/**
 * Deciding suggestions: the one routine behind accept, reject, "as if all rejected" and "as if
 * all accepted". The rejections of a call are computed on the document as it is and applied in
 * one go; then the acceptances, on the document the rejections leave. Deciding several
 * overlapping suggestions together does not depend on their order, and a rejected suggestion
 * leaves what is accepted around it as if it had never been made.
 *
 * - Accepted insertion: its mark goes, the text stays; its break markers go, the breaks stay.
 * - Rejected insertion: its text goes; each of its breaks goes (the textblock joins the one
 *   before it, or goes entirely when nothing else is left in it).
 * - Accepted deletion: its text goes; a paragraph break between two parts of one deletion goes
 *   with it (one deletion across paragraphs joins them, as the edit would have); a textblock whose
 *   whole text goes, partly or fully by an accepted deletion, goes too.
 * - Rejected deletion: its mark goes, the text stays.
 * - Accepted format change: its mark goes, the new formatting stays. Rejected: the text gets back
 *   the formatting it had (`before`), unless another format change on it stays pending.
 * - Joined textblock (`joinSuggestion`): accepted, it joins the textblock before it; rejected,
 *   the attribute goes.
 * - Block format change (`formatSuggestion`): accepted, the attribute goes; rejected, the block
 *   gets back the type and attributes it had.
 * Text that carries several suggestions goes when any decision removes it.
 */
import type { Mark, NodeType, Node as PMNode, Schema } from '@tiptap/pm/model'
import { canJoin, type Transform } from '@tiptap/pm/transform'
import { type BlockFormat, FORMAT_SUGGESTION, JOIN_SUGGESTION } from '../blockSuggestions.ts'
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
  /** A rejected format change: the formatting marks (by name) the text gets back. */
  restoreFormat: string[] | null
  /** Deletions on it that these decisions leave pending. */
  pendingDeletions: string[]
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
  node: PMNode
  /** Its suggested join: carried out (accepted), dropped (rejected), or left pending. */
  join: 'none' | 'join' | 'drop'
  /** Its block format change: kept (accepted: the attribute goes), restored, or pending. */
  format: 'none' | 'keep' | 'restore'
  /**
   * A join still pending that these decisions turn into a suggested join of the same id: a
   * pending deletion of its break whose marker goes (the break is accepted, so the deletion is
   * what it would have been on an accepted break), or a pending deletion across the boundary
   * before it whose text at its start these decisions remove (see `keepPendingJoins`).
   */
  pendingJoin: string | null
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
  const piece: Piece = {
    from,
    to,
    acceptedDeletions: [],
    removed: false,
    dropMarks: [],
    restoreFormat: null,
    pendingDeletions: [],
  }
  let formatPending = false
  let rejectedFormat: string[] | null = null
  for (const mark of node.marks) {
    const id = suggestionIdOf(mark.attrs)
    if (mark.type === types.format) {
      const decision = id === null ? null : decide(id)
      if (decision === null) formatPending = true
      else {
        piece.dropMarks.push(mark)
        if (decision === Resolution.Reject) rejectedFormat ??= formatBefore(mark)
      }
      continue
    }
    if (mark.type !== types.insertion && mark.type !== types.deletion) continue
    const decision = id === null ? null : decide(id)
    if (decision === null && id !== null && mark.type === types.deletion) {
      piece.pendingDeletions.push(id)
    }
    if (decision === null || id === null) continue
    const insertion = mark.type === types.insertion
    if (insertion === (decision === Resolution.Reject)) {
      piece.removed = true
      if (!insertion) piece.acceptedDeletions.push(id)
    } else {
      piece.dropMarks.push(mark)
    }
  }
  // Another person's format change on the same text still wants its formatting.
  if (!formatPending) piece.restoreFormat = rejectedFormat
  return piece
}

/** The formatting marks a format change mark says the text had before it. */
function formatBefore(mark: Mark): string[] {
  const before: unknown = mark.attrs.before
  return Array.isArray(before)
    ? before.filter((name): name is string => typeof name === 'string')
    : []
}

/** Marks a format change is about: neither review marks nor comment anchors. */
function isFormatting(mark: Mark, types: SuggestionMarkTypes): boolean {
  return (
    mark.type !== types.insertion &&
    mark.type !== types.deletion &&
    mark.type !== types.format &&
    mark.type !== types.comment
  )
}

function blockDecisions(node: PMNode, decide: Resolver): Pick<Block, 'join' | 'format'> {
  const joinId: unknown = node.attrs[JOIN_SUGGESTION]
  const join = typeof joinId === 'string' ? decide(joinId) : null
  const format = node.attrs[FORMAT_SUGGESTION] as BlockFormat | null | undefined
  const formatDecision = format ? decide(format.id) : null
  return {
    join: join === Resolution.Accept ? 'join' : join === Resolution.Reject ? 'drop' : 'none',
    format:
      formatDecision === Resolution.Accept
        ? 'keep'
        : formatDecision === Resolution.Reject
          ? 'restore'
          : 'none',
  }
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
      node,
      ...blockDecisions(node, decide),
      pendingJoin: null,
    }
    node.forEach((child, offset, index) => {
      const from = contentStart + offset
      const to = from + child.nodeSize
      if (index === 0 && startsWithBreakMarker(child, types)) {
        // The marker is a piece of its own: its fate is the break's.
        const marker = pieceOf(child, from, from + 1, types, decide)
        const accepted = marker.dropMarks.some((mark) => mark.type === types.insertion)
        block.marker = marker.removed ? 'break-goes' : accepted ? 'marker-goes' : 'kept'
        if (block.marker === 'marker-goes' && block.join === 'none') {
          block.pendingJoin = pendingDeletionOf(child, types, decide)
        }
        if (block.marker === 'kept') block.pieces.push(marker)
        if (to > from + 1) block.pieces.push(pieceOf(child, from + 1, to, types, decide))
      } else {
        block.pieces.push(pieceOf(child, from, to, types, decide))
      }
    })
    blocks.push(block)
    return false
  })
  for (const [index, block] of blocks.entries()) {
    if (block.marker === 'break-goes') {
      block.whole = block.pieces.every((piece) => piece.removed)
      continue
    }
    // The textblocks after it whose breaks go join it: it goes whole when, with them, it had
    // text and all of it goes by decisions that include an accepted deletion. (A paragraph
    // deleted whole and someone's break suggested at its end: the break rejected, the text
    // after it stays in that paragraph. Enter at the start of a deleted list item leaves the
    // item empty and moves its text to the new one: rejected, the two are one deleted item.)
    const group = [block, ...joinedToIt(blocks, index)]
    const pieces = group.flatMap((member) => member.pieces)
    const hadText = block.contentEnd > block.contentStart || pieces.length > 0
    block.whole =
      hadText &&
      pieces.every((piece) => piece.removed) &&
      pieces.some((piece) => piece.acceptedDeletions.length > 0)
  }
  keepPendingJoins(blocks)
  // The document keeps at least one textblock.
  const first = blocks[0]
  if (first && blocks.every((block) => block.whole)) first.whole = false
  return blocks
}

/**
 * A pending deletion across the boundary between two textblocks would join them when accepted.
 * When these decisions remove the text it covers at the start of the second (someone else's
 * deletion of the same words accepted first), nothing would be left to say so: the second
 * textblock carries the join as a suggestion of the deletion's id instead, so that accepting the
 * deletion later still joins them, as accepting both together does.
 */
function keepPendingJoins(blocks: readonly Block[]): void {
  for (const [index, block] of blocks.entries()) {
    const before = blocks[index - 1]
    const first = block.pieces[0]
    const last = before?.pieces.at(-1)
    if (!before || !first?.removed || !last || block.marker !== 'none') continue
    if (block.pendingJoin !== null || block.join !== 'none') continue
    if (typeof block.node.attrs[JOIN_SUGGESTION] === 'string') continue
    const shared = first.pendingDeletions.find((id) => last.pendingDeletions.includes(id))
    if (shared !== undefined) block.pendingJoin = shared
  }
}

/** The id of a deletion on `node` that `decide` leaves pending, if any. */
function pendingDeletionOf(
  node: PMNode,
  types: SuggestionMarkTypes,
  decide: Resolver,
): string | null {
  for (const mark of node.marks) {
    if (mark.type !== types.deletion) continue
    const id = suggestionIdOf(mark.attrs)
    if (id !== null && decide(id) === null) return id
  }
  return null
}

/**
 * The textblocks right after `blocks[index]` that join it: their breaks go, or their suggested
 * joins are accepted.
 */
function joinedToIt(blocks: readonly Block[], index: number): Block[] {
  const joined: Block[] = []
  for (const block of blocks.slice(index + 1)) {
    if (block.marker !== 'break-goes' && block.join !== 'join') break
    joined.push(block)
  }
  return joined
}

/**
 * A textblock's suggestion attributes as its decisions leave them (attributes move nothing, so
 * these steps come before the removals, as the marks do).
 */
function setBlockAttributes(tr: Transform, block: Block, target: PMNode | null): void {
  const attrs = { ...block.node.attrs }
  let type = block.node.type
  if (block.join !== 'none') attrs[JOIN_SUGGESTION] = null
  if (block.pendingJoin !== null && attrs[JOIN_SUGGESTION] == null) {
    attrs[JOIN_SUGGESTION] = block.pendingJoin
  }
  const format = attrs[FORMAT_SUGGESTION] as BlockFormat | null | undefined
  if (format && block.format !== 'none') {
    attrs[FORMAT_SUGGESTION] = null
    if (block.format === 'restore') {
      const former = (block.node.type.schema as Schema).nodes[format.type]
      if (former) {
        type = former
        Object.assign(attrs, format.attrs)
        // Attributes the former type does not have are left out.
        const known = former.spec.attrs ?? {}
        for (const name of Object.keys(attrs)) if (!Object.hasOwn(known, name)) delete attrs[name]
      }
    }
  }
  const retyped = target ? joinIntoRemoved(type, attrs, target) : null
  if (retyped) {
    tr.setNodeMarkup(block.pos, retyped.type, retyped.attrs)
    return
  }
  if (block.join === 'none' && block.format === 'none' && block.pendingJoin === null) return
  tr.setNodeMarkup(block.pos, type, attrs)
}

/**
 * A pending join into a textblock these decisions remove whole. Joining into that textblock once
 * its text is gone gives this text in the other's type and attributes, so the join becomes what
 * it now amounts to: a suggested change of type, of the same id (accepted: the other's type;
 * rejected: its own). Deciding the removal first or the join first then ends the same. Same
 * type and attributes: the join changes nothing any more and goes. Null (the join is left as it
 * is) when the block also has a format change pending, which one attribute cannot hold twice.
 */
function joinIntoRemoved(
  type: NodeType,
  attrs: Record<string, unknown>,
  target: PMNode,
): { type: NodeType; attrs: Record<string, unknown> } | null {
  const id = attrs[JOIN_SUGGESTION]
  if (typeof id !== 'string' || attrs[FORMAT_SUGGESTION] != null) return null
  const own = formatOf(type, attrs)
  const theirs = formatOf(target.type, target.attrs)
  const next: Record<string, unknown> = { ...attrs, [JOIN_SUGGESTION]: null }
  if (type === target.type && JSON.stringify(own) === JSON.stringify(theirs)) {
    return { type, attrs: next }
  }
  const format: BlockFormat = { id, type: type.name, attrs: own }
  const known = target.type.spec.attrs ?? {}
  for (const name of Object.keys(next)) if (!Object.hasOwn(known, name)) delete next[name]
  return { type: target.type, attrs: { ...next, ...theirs, [FORMAT_SUGGESTION]: format } }
}

/** The attributes of a textblock that are its format (not suggestions, not the lock). */
function formatOf(type: NodeType, attrs: Record<string, unknown>): Record<string, unknown> {
  const known = type.spec.attrs ?? {}
  return Object.fromEntries(
    Object.entries(attrs).filter(
      ([name]) =>
        Object.hasOwn(known, name) &&
        name !== 'locked' &&
        name !== JOIN_SUGGESTION &&
        name !== FORMAT_SUGGESTION,
    ),
  )
}

/** Gives the text of a piece back the formatting a rejected format change says it had. */
function restoreFormatting(tr: Transform, piece: Piece, types: SuggestionMarkTypes): void {
  const schema = types.insertion.schema
  const before = new Set(piece.restoreFormat ?? [])
  const node = tr.doc.nodeAt(piece.from)
  for (const mark of node?.marks ?? []) {
    if (isFormatting(mark, types) && !before.has(mark.type.name)) {
      tr.removeMark(piece.from, piece.to, mark)
    }
  }
  for (const name of before) {
    const type = schema.marks[name]
    if (type && !type.isInSet(node?.marks ?? [])) tr.addMark(piece.from, piece.to, type.create())
  }
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

/**
 * Adds to `tr` the steps that carry out `decide` on the suggestions of `tr.doc`. Rejections first,
 * then acceptances on what they leave: a rejected suggestion is as if it had never been made, so
 * what is accepted around it (a deletion across paragraphs with someone's rejected new list item
 * inside it) comes out as it would have without it.
 */
export function resolveSuggestions(tr: Transform, decide: Resolver): void {
  const adjacent = adjacentLists(tr.doc)
  const start = tr.steps.length
  const rejected = resolveTogether(tr, (id) =>
    decide(id) === Resolution.Reject ? Resolution.Reject : null,
  )
  // Lists that were side by side before are left so.
  const mapping = tr.mapping.slice(start)
  const already = new Set(adjacent.map((pos) => mapping.map(pos)))
  rejoinLists(tr, rejected, already)
  resolveTogether(tr, (id) => (decide(id) === Resolution.Accept ? Resolution.Accept : null))
}

/**
 * Two lists of one kind that the rejected blocks stood between become one list again: pasting
 * paragraphs into a list, or lifting an item out of it, splits the list, and the suggestion
 * rejected is as if the list had never been split. `at`: where the removals were, in `tr.doc`.
 */
function rejoinLists(tr: Transform, at: readonly number[], already: ReadonlySet<number>): void {
  // A removal that ended inside a list item leaves the boundary after that item's list.
  const candidates = new Set<number>()
  for (const pos of at) {
    if (pos <= 0 || pos > tr.doc.content.size) continue
    const $pos = tr.doc.resolve(pos)
    candidates.add(pos)
    for (let depth = $pos.depth; depth > 0; depth--) candidates.add($pos.after(depth))
  }
  for (const pos of [...candidates].sort((a, b) => b - a)) {
    if (already.has(pos) || !listsMeetAt(tr.doc, pos)) continue
    if (canJoin(tr.doc, pos)) tr.join(pos)
  }
}

/** Whether two lists of one kind sit right before and after `pos`. */
function listsMeetAt(doc: PMNode, pos: number): boolean {
  if (pos <= 0 || pos >= doc.content.size) return false
  const $pos = doc.resolve(pos)
  const before = $pos.nodeBefore
  const after = $pos.nodeAfter
  if (!before || !after || before.type !== after.type) return false
  return before.type.spec.group?.split(' ').includes('list') === true
}

/** Every position where two lists of one kind sit side by side. */
function adjacentLists(doc: PMNode): number[] {
  const found: number[] = []
  doc.descendants((node, pos) => {
    if (node.isTextblock) return false
    if (listsMeetAt(doc, pos)) found.push(pos)
    return true
  })
  return found
}

/** Whether textblock `b` comes right after textblock `a` in the same parent. */
function siblings(doc: PMNode, a: Block, b: Block): boolean {
  if (a.end !== b.pos) return false
  const $a = doc.resolve(a.pos)
  return $a.parent === doc.resolve(b.pos).parent
}

/** Carries out the decisions of `decide`, all computed on `tr.doc` as it is, in one go. */
function resolveTogether(tr: Transform, decide: Resolver): number[] {
  const doc = tr.doc
  const types = suggestionMarkTypes(doc.type.schema)
  const blocks = readBlocks(doc, types, decide)
  const removals: Removal[] = []
  /** Removed pieces, in document order; `covered` when a whole-block removal takes them. */
  const segments: Array<Piece & { covered?: boolean }> = []
  let previous: Block | null = null
  /** The textblock right before, when these decisions remove it whole. */
  let removedBefore: Block | null = null
  for (const block of blocks) {
    // A suggested break that goes joins what is left of its textblock to the one before, even
    // when nothing is left: removing the textblock whole would leave an empty one in its place
    // when it opens a list item that holds a nested list (the list cannot lose its first child).
    if (block.whole && !(block.marker === 'break-goes' && previous)) {
      removals.push({ from: block.pos, to: block.end, widen: true })
      // Its text still links the deletion before it to the one after it (see below).
      for (const piece of block.pieces) segments.push({ ...piece, covered: true })
      removedBefore = block
      continue
    }
    const target = removedBefore && siblings(doc, removedBefore, block) ? removedBefore.node : null
    removedBefore = null
    if (block.marker === 'break-goes') {
      // The suggested break goes: join with the nearest textblock that stays.
      const from = previous ? previous.contentEnd : block.contentStart
      removals.push({ from, to: block.contentStart + 1, widen: false })
    } else if (block.marker === 'marker-goes') {
      removals.push({ from: block.contentStart, to: block.contentStart + 1, widen: false })
    } else if (block.join === 'join' && previous) {
      // A suggested join: the boundary between this textblock and the one before it goes.
      removals.push({ from: previous.contentEnd, to: block.contentStart, widen: false })
    }
    setBlockAttributes(tr, block, target)
    for (const piece of block.pieces) {
      if (piece.removed) segments.push(piece)
      else {
        for (const mark of piece.dropMarks) tr.removeMark(piece.from, piece.to, mark)
        if (piece.restoreFormat) restoreFormatting(tr, piece, types)
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
  const mapping = tr.mapping.slice(start)
  return merged.map((removal) => mapping.map(removal.from, -1))
}
