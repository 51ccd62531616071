/**
 * The suggestion engine: a transaction that a user made in suggesting mode, rewritten into one
 * that proposes the same change instead of making it.
 *
 * - Inserted content gets an insertion mark. Next to (or inside) one of the user's own pending
 *   suggestions it continues that suggestion's id, so a word typed letter by letter, or a word
 *   deleted and then retyped, is one suggestion; otherwise it gets a new id from options.newId.
 * - Deleted text stays, with a deletion mark (same rule for the id). The user's own suggested text
 *   is removed for real; text that already has a deletion mark is left alone; paragraph breaks
 *   that existed stay (deleting across paragraphs marks their text and does not join them).
 * - Replacing a selection: a deletion mark on the old text and the insertion right after it,
 *   under one id (a replacement is one suggestion, accepted or rejected as a whole).
 * - A paragraph break the user adds (Enter, a pasted paragraph) gets a break marker (see
 *   blockBreak.ts); removing one's own break again joins the paragraphs for real.
 * - Every other change (bold, italic, heading, lists, input rules) is proposed as the
 *   replacement of the changed range by its new content: the old text marked deleted and the
 *   new, formatted text inserted after it. Rejecting restores the old text and format exactly.
 *
 * Whatever the transaction, rejecting every suggestion of the result gives the document it
 * started from: a suggester can change nothing but suggestions (the server checks exactly this).
 */
import { type Selection, type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'
import { Mapping } from '@tiptap/pm/transform'
import { isBeforeBreakMarker } from './blockBreak.ts'
import { netChange } from './netChange.ts'
import { metaOf, passesThrough, SUGGESTED_META } from './passThrough.ts'
import { suggestionMarkTypes } from './suggestionMarks.ts'
import {
  continuedId,
  insertionPoint,
  type SuggestContext,
  suggestDeletion,
  suggestInsertion,
} from './suggestReplace.ts'

export type SuggestOptions = {
  /** A new suggestion id: a random UUID (never max+1: offline clients would collide). */
  newId: () => string
  /** Whether a suggestion is the current user's own (the client knows, from Yjs metadata). */
  isOwnSuggestion: (id: string) => boolean
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
  const out = state.tr
  copyMeta(tr, out)
  const change = netChange(tr)
  if (!change) return out
  const types = suggestionMarkTypes(state.schema)
  const doc = state.doc
  const insertAt = change.from === change.to ? insertionPoint(doc, change.from, types) : change.to
  const from = change.from === change.to ? insertAt : change.from
  const to = change.from === change.to ? insertAt : change.to
  let id: string | null = null
  const ctx: SuggestContext = {
    types,
    isOwn: options.isOwnSuggestion,
    id: () => {
      id ??= continuedId(doc, from, to, ctx) ?? options.newId()
      return id
    },
  }
  if (change.to > change.from) suggestDeletion(out, change.from, change.to, ctx)
  const { mirrorStep } = suggestInsertion(out, out.mapping.map(insertAt), change.slice, ctx)

  // Where the user's selection ends up: mapped back through their change and forward through
  // ours. The mapping knows that our insertion mirrors theirs, so a cursor inside or after the
  // inserted text lands inside or after our copy of it.
  const mapping = new Mapping()
  mapping.appendMap(change.map.invert())
  out.mapping.maps.forEach((map, index) => {
    mapping.appendMap(map, index === mirrorStep ? 0 : undefined)
  })
  // Backspace: the cursor goes before the text it marked, so the next Backspace reaches the
  // character before. A forward delete or a deleted selection leaves it after the marked text.
  const backspace =
    change.slice.size === 0 && state.selection.empty && state.selection.head === change.to
  out.setSelection(mapSelection(tr.selection, out, mapping, backspace ? -1 : 1))
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

function mapSelection(
  selection: Selection,
  out: Transaction,
  mapping: Mapping,
  assoc: number,
): Selection {
  if (!(selection instanceof TextSelection) || !selection.empty) {
    return selection.map(out.doc, mapping)
  }
  let pos = mapping.map(selection.head, assoc)
  const types = suggestionMarkTypes(out.doc.type.schema)
  if (isBeforeBreakMarker(out.doc.resolve(pos), types)) pos += 1
  const $pos = out.doc.resolve(pos)
  return TextSelection.between($pos, $pos)
}
