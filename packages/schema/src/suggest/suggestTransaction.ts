/**
 * The suggestion engine: a transaction that a user made in suggesting mode, rewritten into one
 * that proposes the same change instead of making it.
 *
 * - Inserted content gets an insertion mark. Next to (or inside) one of the user's own pending
 *   suggestions it continues that suggestion's id, so a word typed letter by letter, or a word
 *   deleted and then retyped, is one suggestion; otherwise it gets a new id from options.newId.
 * - Deleted text stays, with a deletion mark (same rule for the id). The user's own suggested text
 *   is removed for real. Text that already has a deletion mark is left alone by Backspace and
 *   Delete; a deleted or replaced selection marks it too, so that the user's suggestion does not
 *   depend on another one (they compete instead). Paragraph breaks that existed stay (deleting
 *   across paragraphs marks their text and does not join them).
 * - Replacing a selection: a deletion mark on the old text and the insertion right after it,
 *   under one id (a replacement is one suggestion, accepted or rejected as a whole).
 * - A paragraph break the user adds (Enter, a pasted paragraph) gets a break marker (see
 *   blockBreak.ts); removing one's own break again joins the paragraphs for real.
 * - Formatting (bold, italic), a block's type (heading, paragraph) and joining two textblocks
 *   (Backspace at the start of one) are proposed in place (suggestStructure.ts): the text keeps
 *   its place and shows the change, and the change records what rejecting restores.
 * - Every other change (lists, indenting, input rules), and formatting over text that carries
 *   another person's format change, is proposed as the replacement of the changed text by its
 *   new version: the old text marked deleted and the new text inserted after it; a change of
 *   structure (into or out of a list) replaces whole blocks. Rejecting restores the old text.
 *
 * Whatever the transaction, rejecting every suggestion of the result gives the document it
 * started from: a suggester can change nothing but suggestions (the server checks exactly this,
 * and so does the engine before it returns: a change it cannot propose is dropped).
 */
import type { Node as PMNode, Slice } from '@tiptap/pm/model'
import { type EditorState, type Selection, TextSelection, type Transaction } from '@tiptap/pm/state'
import { Mapping, ReplaceStep } from '@tiptap/pm/transform'
import { isBeforeBreakMarker } from './blockBreak.ts'
import { cursorStops, stopIndex } from './cursorStops.ts'
import { blockChange, markChanges, type NetChange, netChange } from './netChange.ts'
import { metaOf, passesThrough, SUGGESTED_META } from './passThrough.ts'
import { asIfAllRejected, changedOthersSuggestion, withoutCommentMarks } from './review.ts'
import { type SuggestionMarkTypes, suggestionMarkTypes } from './suggestionMarks.ts'
import {
  continuedId,
  type Insertion,
  insertionPoint,
  type SuggestContext,
  suggestDeletion,
  suggestInsertion,
} from './suggestReplace.ts'
import { proposeBlockFormat, proposeFormatChange, proposeJoin } from './suggestStructure.ts'

/** Why an edit was not proposed: it would change what another person's suggestion says. */
export class ChangesOthersSuggestion extends Error {
  constructor(readonly suggestionId: string) {
    super(`the edit would change another person’s suggestion ${suggestionId}`)
    this.name = 'ChangesOthersSuggestion'
  }
}

export type SuggestOptions = {
  /** A new suggestion id: a random UUID (never max+1: offline clients would collide). */
  newId: () => string
  /** Whether a suggestion is the current user's own (the client knows, from Yjs metadata). */
  isOwnSuggestion: (id: string) => boolean
  /**
   * Called when an edit cannot be proposed as suggestions and is dropped (the returned
   * transaction then changes nothing); `error` when the engine failed on it.
   */
  onUnsuggestable?: (tr: Transaction, error?: unknown) => void
  /**
   * Called when text typed or pasted over a selection is proposed after the selection instead,
   * since the selection could not be proposed for deletion (another person's suggestion in it).
   */
  onSelectionKept?: (tr: Transaction) => void
}

/**
 * The suggested version of `tr`, a transaction on `state`; `tr` itself when it passes through
 * (see passThrough.ts). The result carries the metadata of `tr`, and SUGGESTED_META.
 */
export function suggestTransaction(
  state: EditorState,
  tr: Transaction,
  options: SuggestOptions,
): Transaction {
  if (passesThrough(state, tr)) return tr
  // One new id at most per edit, even when a first attempt is abandoned.
  let fresh: string | null = null
  const newId = () => {
    fresh ??= options.newId()
    return fresh
  }
  let failure: unknown
  // The server refuses a suggester's update that changes what another person's suggestion says
  // (the same test, sameSuggestion): such a proposal is not sent. The next way of proposing the
  // edit is tried, and when none keeps them, the edit is not applied and the person is told
  // (onUnsuggestable), instead of the server refusing it and the card reloading.
  const keepsOthers = (out: Transaction): boolean => {
    // This edit's new suggestion is the person's own, though nothing records it as theirs yet.
    const isOwn = (id: string) => id === fresh || options.isOwnSuggestion(id)
    const changed = changedOthersSuggestion(state.doc, out.doc, isOwn)
    if (changed === null) return true
    failure = new ChangesOthersSuggestion(changed)
    return false
  }
  const structure = {
    types: suggestionMarkTypes(state.schema),
    isOwn: options.isOwnSuggestion,
    newId,
  }
  for (const propose of [proposeJoin, proposeBlockFormat, proposeFormatChange]) {
    try {
      const out = propose(state, tr, structure)
      if (out && sameBase(state.doc, out.doc) && keepsOthers(out)) {
        copyMeta(tr, out)
        return out
      }
    } catch (error) {
      failure = error
    }
  }
  const attempts = [() => markChanges(tr) ?? netChange(tr), () => blockChange(tr.before, tr.doc)]
  for (const [index, attempt] of attempts.entries()) {
    try {
      const found = attempt()
      const changes = found === null ? [] : Array.isArray(found) ? found : [found]
      // No change (steps that cancel out): nothing to suggest.
      const out =
        changes.length === 1 && changes[0]
          ? proposeChange(state, tr, changes[0], { ...options, newId })
          : proposeChanges(state, tr, changes, { ...options, newId })
      if (!sameBase(state.doc, out.doc) || !keepsOthers(out)) continue
      // Nothing proposed for an edit that only moved text in the structure (Delete at the end of
      // a list item moves the next item's paragraph into it): propose whole blocks instead.
      const movedOnly = out.doc.eq(state.doc) && sameTextblocks(tr.before, tr.doc)
      if (movedOnly && index < attempts.length - 1) continue
      return out
    } catch (error) {
      failure = error
    }
  }
  // Typing or pasting over a selection that no way of proposing could delete (it holds another
  // person's suggestion, which the deletion would change): the new text is still the person's
  // words, so it is proposed on its own, after the selection (or else before it), and they are
  // told why the selection stayed. Nothing typed is dropped where a place for it exists.
  const typed = netChange(tr)
  if (typed?.exact && typed.from < typed.to && holdsText(typed.slice)) {
    for (const at of [typed.to, typed.from]) {
      try {
        const alone = {
          ...typed,
          from: at,
          to: at,
          map: new ReplaceStep(at, at, typed.slice).getMap(),
        }
        const out = proposeChange(state, tr, alone, { ...options, newId })
        // The cursor goes after the new text, as after typing.
        out.setSelection(TextSelection.near(out.doc.resolve(out.mapping.map(at, 1)), -1))
        if (sameBase(state.doc, out.doc) && keepsOthers(out)) {
          options.onSelectionKept?.(tr)
          return out
        }
      } catch (error) {
        failure = error
      }
    }
  }
  options.onUnsuggestable?.(tr, failure)
  const out = state.tr
  copyMeta(tr, out)
  return out
}

/** Whether a slice holds text (or a line break): words the person typed or pasted. */
function holdsText(slice: Slice): boolean {
  let found = false
  slice.content.descendants((node) => {
    if (node.isText || node.isLeaf) found = true
    return !found
  })
  return found
}

/** Whether two documents hold the same textblocks, in the same order, whatever holds them. */
function sameTextblocks(a: PMNode, b: PMNode): boolean {
  const blocks = (node: PMNode) => {
    const found: PMNode[] = []
    node.descendants((child) => {
      if (child.isTextblock) found.push(child)
      return !child.isTextblock
    })
    return found
  }
  const x = blocks(a)
  const y = blocks(b)
  return (
    x.length === y.length &&
    x.every((block, index) => block.content.eq(y[index]?.content ?? block.content))
  )
}

const baseOf = new WeakMap<PMNode, PMNode>()

/** sameBaseText, remembering the base of the state's document (computed once per state). */
function sameBase(before: PMNode, after: PMNode): boolean {
  let base = baseOf.get(before)
  if (!base) {
    base = withoutCommentMarks(asIfAllRejected(before))
    baseOf.set(before, base)
  }
  return base.eq(withoutCommentMarks(asIfAllRejected(after)))
}

/**
 * The context of one proposal: its id continues the user's own suggestion around [from, to) of
 * the state's document, or is new; taken only when something gets a mark.
 */
function contextFor(
  state: EditorState,
  options: SuggestOptions,
  overDeleted: boolean,
  from: number,
  to: number,
): SuggestContext {
  let id: string | null = null
  const ctx: SuggestContext = {
    types: suggestionMarkTypes(state.schema),
    isOwn: options.isOwnSuggestion,
    overDeleted,
    id: () => {
      id ??= continuedId(state.doc, from, to, ctx) ?? options.newId()
      return id
    },
  }
  return ctx
}

function proposeChange(
  state: EditorState,
  tr: Transaction,
  change: NetChange,
  options: SuggestOptions,
): Transaction {
  const out = state.tr
  copyMeta(tr, out)
  const types = suggestionMarkTypes(state.schema)
  const pure = change.from === change.to
  const insertAt = pure ? insertionPoint(state.doc, change.from, types) : change.to
  const keyPress = change.exact && change.slice.size === 0 && state.selection.empty
  const ctx = pure
    ? contextFor(state, options, !keyPress, insertAt, insertAt)
    : contextFor(state, options, !keyPress, change.from, change.to)
  if (!pure) suggestDeletion(out, change.from, change.to, ctx)
  const insertion = suggestInsertion(
    out,
    out.mapping.map(insertAt),
    change.slice,
    ctx,
    !change.exact,
  )
  const backspace =
    change.slice.size === 0 && state.selection.empty && state.selection.head === change.to
  out.setSelection(placeSelection(tr, out, change, insertion, backspace, types))
  return out
}

/**
 * Several changes in one transaction (a format change over several paragraphs), proposed as one
 * suggestion, last first so that the positions of the others stay valid. The selection covers
 * the new, formatted text.
 */
function proposeChanges(
  state: EditorState,
  tr: Transaction,
  changes: readonly NetChange[],
  options: SuggestOptions,
): Transaction {
  const out = state.tr
  copyMeta(tr, out)
  const first = changes[0]
  if (!first) return out
  const ctx = contextFor(state, options, true, first.from, first.to)
  const inserted: Array<{ from: number; to: number; steps: number }> = []
  for (const change of [...changes].reverse()) {
    suggestDeletion(out, change.from, change.to, ctx)
    const { range } = suggestInsertion(out, out.mapping.map(change.to), change.slice, ctx, true)
    if (range) inserted.push({ ...range, steps: out.steps.length })
  }
  const last = inserted[0]
  const start = inserted[inserted.length - 1]
  if (start && last && tr.selection instanceof TextSelection) {
    const from = out.mapping.slice(start.steps).map(start.from, -1)
    const to = out.mapping.slice(last.steps).map(last.to)
    out.setSelection(TextSelection.between(out.doc.resolve(from), out.doc.resolve(to)))
  }
  return out
}

function copyMeta(from: Transaction, to: Transaction): void {
  const meta = metaOf(from)
  for (const key of Object.keys(meta)) to.setMeta(key, meta[key])
  to.setMeta(SUGGESTED_META, true)
  to.setTime(from.time)
  if (from.storedMarksSet) to.setStoredMarks(from.storedMarks)
  if (from.scrolledIntoView) to.scrollIntoView()
}

/**
 * Where the user's selection ends up: mapped back through their change and forward through
 * ours. The mapping knows that our insertion mirrors theirs, so a position inside their inserted
 * content lands at the same place in our copy; when the copy differs (recreated blocks), the
 * position goes to the same cursor stop of the copy.
 *
 * After Backspace the cursor goes before the text it marked, so that the next Backspace reaches
 * the character before; a forward delete or a deleted selection leaves it after the marked text.
 */
function placeSelection(
  tr: Transaction,
  out: Transaction,
  change: NetChange,
  insertion: Insertion,
  backspace: boolean,
  types: SuggestionMarkTypes,
): Selection {
  const mapping = new Mapping()
  mapping.appendMap(change.map.invert())
  out.mapping.maps.forEach((map, index) => {
    mapping.appendMap(map, index === insertion.mirrorStep ? 0 : undefined)
  })
  const insertedEnd = change.from + change.slice.size
  const inserted = change.slice.size > 0 && insertion.range !== null
  const mapPos = (pos: number): number => {
    if (inserted && insertion.range && insertion.mirrorStep === null) {
      if (pos >= change.from && pos <= insertedEnd) {
        const theirs = cursorStops(tr.doc, change.from, insertedEnd, types)
        const ours = cursorStops(out.doc, insertion.range.from, insertion.range.to, types)
        const index = Math.min(stopIndex(theirs, pos), ours.length - 1)
        return ours[index] ?? insertion.range.to
      }
    }
    // The end of the inserted content is recovered through the mirror only when mapped to the
    // left (ProseMirror recovers positions strictly inside a replaced range, per side).
    const toEnd = insertion.mirrorStep !== null && inserted && pos === insertedEnd
    return mapping.map(pos, backspace || toEnd ? -1 : 1)
  }
  const selection = tr.selection
  if (!(selection instanceof TextSelection)) return selection.map(out.doc, mapping)
  const resolve = (pos: number) => {
    const $pos = out.doc.resolve(pos)
    // A cursor is never put in front of a break marker: typing there would push it off the
    // start of its paragraph.
    return isBeforeBreakMarker($pos, types) ? out.doc.resolve(pos + 1) : $pos
  }
  const $head = resolve(mapPos(selection.head))
  const $anchor = selection.empty ? $head : resolve(mapPos(selection.anchor))
  return TextSelection.between($anchor, $head)
}
