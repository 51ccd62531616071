/**
 * Reviewing suggestions: listing them, accepting and rejecting them, and the answer as it would
 * read with all of them rejected or accepted. Pure functions of a document or an editor state.
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import type { EditorState, Transaction } from '@tiptap/pm/state'
import { Transform } from '@tiptap/pm/transform'
import { SuggestionKind } from '../cardLayout.ts'
import { BLOCK_BREAK, startsWithBreakMarker } from './blockBreak.ts'
import { REVIEW_META } from './passThrough.ts'
import { Resolution, resolveSuggestions } from './resolveSuggestions.ts'
import { suggestionIdOf, suggestionMarkTypes } from './suggestionMarks.ts'

/**
 * The inserted or the deleted part of one suggestion. A replacement has both, under one id. The
 * range runs from the first to the last character of that part (it may span paragraphs, and
 * other text may sit between its pieces); `text` is the text of its pieces, with a line break
 * for each paragraph break.
 */
export type SuggestionSpan = {
  id: string
  kind: SuggestionKind
  from: number
  to: number
  text: string
}

/** Every suggestion part in the document, in document order (by start, deletion first). */
export function collectSuggestions(doc: PMNode): SuggestionSpan[] {
  const types = suggestionMarkTypes(doc.type.schema)
  const spans = new Map<string, SuggestionSpan & { block: number }>()
  let block = -1
  doc.descendants((node, pos, parent, index) => {
    if (node.isTextblock) block = pos
    if (!node.isInline) return true
    const marker = index === 0 && parent?.isTextblock === true && startsWithBreakMarker(node, types)
    for (const mark of node.marks) {
      const kind =
        mark.type === types.insertion
          ? SuggestionKind.Insert
          : mark.type === types.deletion
            ? SuggestionKind.Delete
            : null
      const id = suggestionIdOf(mark)
      if (kind === null || id === null) continue
      let text = node.isText ? (node.text ?? '') : node.type.name === 'hardBreak' ? '\n' : ''
      if (marker) text = `\n${text.slice(BLOCK_BREAK.length)}`
      const key = `${kind}\n${id}`
      const span = spans.get(key)
      if (!span) {
        spans.set(key, { id, kind, from: pos, to: pos + node.nodeSize, text, block })
        continue
      }
      // Another paragraph: a line break, unless this piece starts with its own break marker.
      const separator = span.block !== block && !marker ? '\n' : ''
      span.text += separator + text
      span.to = pos + node.nodeSize
      span.block = block
    }
    return false
  })
  return [...spans.values()]
    .map(({ id, kind, from, to, text }) => ({ id, kind, from, to, text }))
    .sort(
      (a, b) =>
        a.from - b.from || (a.kind === b.kind ? 0 : a.kind === SuggestionKind.Delete ? -1 : 1),
    )
}

/**
 * Accepts and rejects suggestions in one transaction: the chair picking one of several
 * alternatives (accept it, reject the others) makes one change, one undo step and one Yjs
 * update. An id in both lists is accepted. Marked with REVIEW_META, so that suggesting mode lets
 * it through.
 */
export function decideSuggestions(
  state: EditorState,
  decisions: { accept?: readonly string[]; reject?: readonly string[] },
): Transaction {
  const accepted = new Set(decisions.accept)
  const rejected = new Set(decisions.reject)
  const tr = state.tr
  resolveSuggestions(tr, (id) =>
    accepted.has(id) ? Resolution.Accept : rejected.has(id) ? Resolution.Reject : null,
  )
  return tr.setMeta(REVIEW_META, true)
}

/** Accepts the suggestions `ids`: inserted text stays (unmarked), deleted text goes. */
export function acceptSuggestions(state: EditorState, ids: readonly string[]): Transaction {
  return decideSuggestions(state, { accept: ids })
}

/** Rejects (or withdraws) the suggestions `ids`: inserted text goes, deleted text stays. */
export function rejectSuggestions(state: EditorState, ids: readonly string[]): Transaction {
  return decideSuggestions(state, { reject: ids })
}

/** The document as it would be with every suggestion rejected: the text before any was made. */
export function asIfAllRejected(doc: PMNode): PMNode {
  const tr = new Transform(doc)
  resolveSuggestions(tr, () => Resolution.Reject)
  return tr.doc
}

/** The document as it would be with every suggestion accepted. */
export function asIfAllAccepted(doc: PMNode): PMNode {
  const tr = new Transform(doc)
  resolveSuggestions(tr, () => Resolution.Accept)
  return tr.doc
}

/** The document without comment anchors (threads do not change the text). */
export function withoutCommentMarks(doc: PMNode): PMNode {
  const comment = suggestionMarkTypes(doc.type.schema).comment
  if (!comment) return doc
  return new Transform(doc).removeMark(0, doc.content.size, comment).doc
}

/**
 * Whether two versions of an answer have the same text once every suggestion is rejected and
 * comment anchors are ignored: an update that keeps this changed nothing but suggestions and
 * comments (what the server requires of a suggester's update).
 */
export function sameBaseText(a: PMNode, b: PMNode): boolean {
  return withoutCommentMarks(asIfAllRejected(a)).eq(withoutCommentMarks(asIfAllRejected(b)))
}
