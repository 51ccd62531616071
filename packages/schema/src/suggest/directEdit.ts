/**
 * Editing mode (an editor or the chair changing the text directly): what they type or paste is
 * their own text, never part of someone's suggestion. ProseMirror gives typed text the marks
 * around the caret, so a letter typed inside a suggested insertion, or over a word struck as a
 * suggested deletion, would join that suggestion: rejecting it would throw the editor's letter
 * away, accepting it would delete what the editor just wrote. Worse with a colleague typing at
 * the same moment: a letter of the editor's that Yjs placed at the edge of the colleague's new
 * suggestion (the server takes such marks off again, concurrentMarks.ts) would hand its marks
 * to every following letter the editor types before the correction arrives.
 *
 * So inserted text loses the suggestion marks (insertion, deletion, format change) it would have
 * carried. Text moved by drag and drop keeps them (moving a suggestion is not rewriting it), and
 * so do remote changes, undo and redo, and accepting or rejecting.
 *
 * And typing over a selection is written as what it is, a deletion and then new text. The Yjs
 * binding only sees the document before and after, and keeps the letters the two share: "p"
 * typed over "pengasuh" would keep the old "p" and delete "engasuh". Had a ministry at that
 * moment suggested deleting "pengasuh", their deletion would still hold that old "p", now the
 * first letter of the editor's new word, and accepting it would leave "endamping". Written as a
 * deletion first, the old word goes whole and the editor's word is new letters.
 */
import { type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'
import { ReplaceStep } from '@tiptap/pm/transform'
import { isSyncTransaction, REVIEW_META, SUGGESTED_META } from './passThrough.ts'
import { suggestionMarkTypes } from './suggestionMarks.ts'

export function withoutInheritedSuggestionMarks(state: EditorState, tr: Transaction): Transaction {
  if (!tr.docChanged || isSyncTransaction(tr)) return tr
  if (tr.getMeta(REVIEW_META) !== undefined || tr.getMeta(SUGGESTED_META) !== undefined) return tr
  if (tr.getMeta('uiEvent') === 'drop') return tr
  if (tr.before !== state.doc) return tr
  const types = suggestionMarkTypes(state.schema)
  const marks = [types.insertion, types.deletion, types.format]
  // Where each step inserted content, in the final document.
  const inserted: Array<{ from: number; to: number }> = []
  tr.steps.forEach((step, index) => {
    if (!(step instanceof ReplaceStep) || step.slice.size === 0) return
    const later = tr.mapping.slice(index + 1)
    const from = later.map(step.from, 1)
    const to = later.map(step.from + step.slice.size, -1)
    if (to > from) inserted.push({ from, to })
  })
  const carries = inserted.some(({ from, to }) => {
    let found = false
    tr.doc.nodesBetween(from, to, (node) => {
      found ||= node.isText && node.marks.some((mark) => marks.includes(mark.type))
      return !found
    })
    return found
  })
  if (!carries) return tr
  for (const { from, to } of inserted) {
    for (const type of marks) tr.removeMark(from, to, type)
  }
  return tr
}

/** How editing mode carries out a transaction: `first`, then `second` on the state it left. */
export type DirectEdit = {
  first: Transaction
  second: ((state: EditorState) => Transaction) | null
}

/**
 * Editing mode's version of `tr`: `tr` without inherited suggestion marks; and when it types or
 * pastes inline content over a selection within one textblock, the deletion of the selection
 * first and the new content after it. Each is dispatched on its own, so that the binding writes
 * each to Yjs separately (y-undo groups the two into one undo step).
 */
export function directEdit(state: EditorState, tr: Transaction): DirectEdit {
  const cleaned = withoutInheritedSuggestionMarks(state, tr)
  const step = cleaned.steps[0]
  if (
    cleaned.steps.length !== 1 ||
    !(step instanceof ReplaceStep) ||
    step.from >= step.to ||
    step.slice.size === 0 ||
    step.slice.openStart !== 0 ||
    step.slice.openEnd !== 0 ||
    !isTyping(cleaned) ||
    !state.doc.resolve(step.from).sameParent(state.doc.resolve(step.to))
  ) {
    return { first: cleaned, second: null }
  }
  // Built first on a copy, to check that the two give what the one would have.
  const deletion = state.tr.delete(step.from, step.to)
  const check = state.apply(deletion).tr.replace(step.from, step.from, step.slice)
  if (!check.doc.eq(cleaned.doc)) return { first: cleaned, second: null }
  deletion.setSelection(TextSelection.create(deletion.doc, step.from))
  const head = cleaned.selection.head
  return {
    first: deletion,
    second: (after) => {
      const insertion = after.tr.replace(step.from, step.from, step.slice)
      if (head <= insertion.doc.content.size) {
        insertion.setSelection(TextSelection.create(insertion.doc, head))
      }
      return insertion.scrollIntoView()
    },
  }
}

/** Typing or pasting (not a drop, not our own rewrite). */
function isTyping(tr: Transaction): boolean {
  const event = tr.getMeta('uiEvent')
  return event === undefined || event === 'paste'
}
