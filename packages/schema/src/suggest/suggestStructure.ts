/**
 * Suggestions that change no text: formatting (bold, italic), a block's type (a paragraph made a
 * heading) and joining two textblocks (Backspace at the start of one, Delete at the end of the
 * one before). Each is proposed in place, the way Google Docs and Word show them, instead of as
 * the replacement of the text by a changed copy:
 *
 * - formatting: the text takes its new formatting for real and a format change mark records the
 *   formatting marks it had (`before`), which rejecting restores;
 * - a block's type: the block takes its new type and a `formatSuggestion` attribute records the
 *   type and attributes it had;
 * - a join: nothing moves; the second textblock gets a `joinSuggestion` attribute, and accepting
 *   it joins the two.
 *
 * Each proposer returns null when the transaction is not of its kind, or when the text already
 * carries another person's suggestion of the same kind (they would compete over what "before"
 * was): the engine then falls back to proposing a replacement.
 */
import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import type { EditorState, Transaction } from '@tiptap/pm/state'
import { AddMarkStep, RemoveMarkStep } from '@tiptap/pm/transform'
import {
  type BlockFormat,
  FORMAT_SUGGESTION,
  JOIN_SUGGESTION,
  SUGGESTIBLE_TEXTBLOCKS,
} from '../blockSuggestions.ts'
import { startsWithBreakMarker } from './blockBreak.ts'
import { insertionIds, type SuggestionMarkTypes, suggestionIdOf } from './suggestionMarks.ts'

export type StructureOptions = {
  types: SuggestionMarkTypes
  isOwn: (id: string) => boolean
  /** The id of this edit's suggestion when it needs a new one (taken at most once). */
  newId: () => string
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

const names = (marks: readonly Mark[], types: SuggestionMarkTypes): string[] =>
  marks
    .filter((mark) => isFormatting(mark, types))
    .map((mark) => mark.type.name)
    .sort()

const sameNames = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((name, index) => name === b[index])

/**
 * Formatting added or removed (a transaction of mark steps on formatting marks only), as
 * format change suggestions.
 */
export function proposeFormatChange(
  state: EditorState,
  tr: Transaction,
  options: StructureOptions,
): Transaction | null {
  const { types } = options
  const steps = tr.steps
  if (steps.length === 0) return null
  for (const step of steps) {
    if (!(step instanceof AddMarkStep || step instanceof RemoveMarkStep)) return null
    if (!isFormatting(step.mark, types)) return null
  }
  const out = state.tr
  let id: string | null = null
  let failed = false
  tr.doc.descendants((after, pos) => {
    if (failed) return false
    if (!after.isText) return true
    // Mark steps move nothing: the same characters are at the same positions before and after,
    // though split into text nodes differently.
    const end = pos + after.nodeSize
    for (let from = pos; from < end && !failed; ) {
      const $from = tr.before.resolve(from)
      const before = tr.before.nodeAt(from)
      if (!before?.isText) {
        failed = true
        break
      }
      const to = Math.min(end, from - $from.textOffset + before.nodeSize)
      failed = !formatRange(out, from, to, before, after, options, () => {
        id ??= options.newId()
        return id
      })
      from = to
    }
    return false
  })
  if (failed) return null
  return out
}

/** Proposes the formatting of `after` for [from, to) whose marks were those of `before`. */
function formatRange(
  out: Transaction,
  from: number,
  to: number,
  before: PMNode,
  after: PMNode,
  options: StructureOptions,
  takeId: () => string,
): boolean {
  const { types } = options
  const was = names(before.marks, types)
  const now = names(after.marks, types)
  if (sameNames(was, now)) return true
  const apply = () => {
    for (const mark of before.marks) {
      if (isFormatting(mark, types) && !now.includes(mark.type.name)) {
        out.removeMark(from, to, mark)
      }
    }
    for (const mark of after.marks) {
      if (isFormatting(mark, types) && !was.includes(mark.type.name)) out.addMark(from, to, mark)
    }
  }
  // One's own suggested text is formatted as it is: rejecting the insertion removes it anyway.
  const inserted = insertionIds(before, types)
  if (inserted.length > 0 && inserted.every(options.isOwn)) {
    apply()
    return true
  }
  const changes = before.marks.filter((mark) => mark.type === types.format)
  const own = changes.filter((mark) => {
    const id = suggestionIdOf(mark.attrs)
    return id !== null && options.isOwn(id)
  })
  if (own.length !== changes.length || own.length > 1) return false
  const mine = own[0]
  const original = mine ? ((mine.attrs.before as string[]) ?? []).slice().sort() : was
  apply()
  if (mine) out.removeMark(from, to, mine)
  if (!sameNames(now, original)) {
    const id = (mine && suggestionIdOf(mine.attrs)) ?? takeId()
    out.addMark(from, to, types.format.create({ id, before: original }))
  }
  return true
}

/** Attributes of a textblock that are about suggestions and locks, not about its format. */
const BOOKKEEPING = new Set(['locked', JOIN_SUGGESTION, FORMAT_SUGGESTION])

function formatAttrs(node: PMNode): Record<string, unknown> {
  return Object.fromEntries(Object.entries(node.attrs).filter(([name]) => !BOOKKEEPING.has(name)))
}

const isSuggestible = (node: PMNode) =>
  (SUGGESTIBLE_TEXTBLOCKS as readonly string[]).includes(node.type.name)

type Retyped = { pos: number; before: PMNode; after: PMNode }

/**
 * The textblocks whose type or attributes changed, when that is all that changed between `a`
 * and `b` (same structure, same content); null otherwise.
 */
function retypedBlocks(a: PMNode, b: PMNode): Retyped[] | null {
  const found: Retyped[] = []
  const walk = (x: PMNode, y: PMNode, pos: number): boolean => {
    if (x.isTextblock && y.isTextblock) {
      if (!x.content.eq(y.content)) return false
      if (x.type !== y.type || !sameAttrs(formatAttrs(x), formatAttrs(y))) {
        found.push({ pos, before: x, after: y })
      }
      return true
    }
    if (x.type !== y.type || x.childCount !== y.childCount || !sameAttrs(x.attrs, y.attrs)) {
      return false
    }
    let offset = pos + (x.type === x.type.schema.topNodeType ? 0 : 1)
    for (let index = 0; index < x.childCount; index++) {
      const child = x.child(index)
      if (!walk(child, y.child(index), offset)) return false
      offset += child.nodeSize
    }
    return true
  }
  return walk(a, b, 0) && found.length > 0 ? found : null
}

function sameAttrs(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** A change of block type or level (paragraph to heading and back), as block format suggestions. */
export function proposeBlockFormat(
  state: EditorState,
  tr: Transaction,
  options: StructureOptions,
): Transaction | null {
  const retyped = retypedBlocks(tr.before, tr.doc)
  if (!retyped) return null
  const out = state.tr
  let id: string | null = null
  const takeId = () => {
    id ??= options.newId()
    return id
  }
  for (const { pos, before, after } of retyped) {
    if (!isSuggestible(before) || !isSuggestible(after)) return null
    // Yjs cannot rename an element: y-prosemirror writes a retyped block as a new one, so its
    // letters would be written again under this person's name, other people's suggestions too.
    if (holdsOthersSuggestions(before, options)) return null
    const existing = before.attrs[FORMAT_SUGGESTION] as BlockFormat | null
    if (existing && !options.isOwn(existing.id)) return null
    const original = existing ?? { type: before.type.name, attrs: formatAttrs(before) }
    const back = original.type === after.type.name && sameAttrs(original.attrs, formatAttrs(after))
    const format: BlockFormat | null = back
      ? null
      : {
          id: existing?.id ?? takeId(),
          type: original.type,
          attrs: original.attrs,
        }
    out.setNodeMarkup(pos, after.type, {
      ...after.attrs,
      locked: before.attrs.locked ?? null,
      [JOIN_SUGGESTION]: before.attrs[JOIN_SUGGESTION] ?? null,
      [FORMAT_SUGGESTION]: format,
    })
  }
  out.setSelection(state.selection.map(out.doc, out.mapping))
  return out
}

/** Whether any text of `block` carries a suggestion mark of another person. */
function holdsOthersSuggestions(block: PMNode, options: StructureOptions): boolean {
  const { types } = options
  let found = false
  block.descendants((node) => {
    for (const mark of node.marks) {
      if (
        mark.type !== types.insertion &&
        mark.type !== types.deletion &&
        mark.type !== types.format
      ) {
        continue
      }
      const id = suggestionIdOf(mark.attrs)
      if (id !== null && !options.isOwn(id)) found = true
    }
    return !found
  })
  return found
}

/** The textblocks of a document with their positions, in order. */
function textblocks(doc: PMNode): Array<{ pos: number; node: PMNode }> {
  const found: Array<{ pos: number; node: PMNode }> = []
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      found.push({ pos, node })
      return false
    }
    return true
  })
  return found
}

/**
 * Two adjacent textblocks joined into one (Backspace at the start of the second, Delete at the
 * end of the first, wherever they stand in lists), as a join suggestion on the second.
 */
export function proposeJoin(
  state: EditorState,
  tr: Transaction,
  options: StructureOptions,
): Transaction | null {
  const before = textblocks(tr.before).map((block) => block.node.content)
  const after = textblocks(tr.doc).map((block) => block.node.content)
  if (after.length === 0 || after.length !== before.length - 1) return null
  // The first textblock that differs is the join (or the last, when an empty one was joined).
  let joined = after.findIndex((content, index) => !content.eq(before[index] ?? content))
  if (joined === -1) joined = after.length - 1
  const first = before[joined]
  const next = before[joined + 1]
  if (!first || !next || !first.append(next).eq(after[joined] ?? first)) return null
  for (let index = joined + 1; index < after.length; index++) {
    if (!(after[index] ?? first).eq(before[index + 1] ?? first)) return null
  }
  const second = textblocks(tr.before)[joined + 1]
  if (!second || !isSuggestible(second.node)) return null
  // A break someone suggested is taken back, or marked deleted, by the engine's text path.
  if (startsWithBreakMarker(second.node.firstChild, options.types)) return null
  const existing: unknown = second.node.attrs[JOIN_SUGGESTION]
  const out = state.tr
  if (typeof existing === 'string') {
    // Suggested already: by oneself, nothing more to do; by another person, theirs stands.
    return options.isOwn(existing) ? out : null
  }
  out.setNodeMarkup(second.pos, second.node.type, {
    ...second.node.attrs,
    [JOIN_SUGGESTION]: options.newId(),
  })
  out.setSelection(state.selection.map(out.doc, out.mapping))
  return out
}
