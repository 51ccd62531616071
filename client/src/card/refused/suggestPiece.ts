/**
 * "Send again as a suggestion": a refused piece re-applied on the fresh document, through the
 * suggestion engine, whatever the editor's mode. Inserted plainly it would be refused again for
 * the same reason (a role that may only suggest now, a card switched to suggestions); as a
 * suggestion it is what every role that may change the answer is allowed to send.
 */
import { MarkName, type SuggestOptions, suggestTransaction } from '@kartu/schema'
import type { EditorState, Transaction } from '@tiptap/pm/state'

/** Review marks are never inherited from the place: another author's suggestion is theirs. */
const REVIEW_MARKS: ReadonlySet<string> = new Set([
  MarkName.Insertion,
  MarkName.Deletion,
  MarkName.Comment,
])

/**
 * The transaction that proposes inserting `text` at `pos` (inside a text, or as a paragraph of
 * its own between blocks), or null when the engine cannot propose it.
 */
export function suggestPiece(
  state: EditorState,
  pos: number,
  text: string,
  options: SuggestOptions,
): Transaction | null {
  const { schema } = state
  const $pos = state.doc.resolve(pos)
  const tr = state.tr
  if ($pos.parent.inlineContent) {
    const marks = $pos.marks().filter((mark) => !REVIEW_MARKS.has(mark.type.name))
    tr.insert(pos, schema.text(text, marks))
  } else {
    const paragraph = schema.nodes.paragraph
    if (!paragraph) return null
    tr.insert(pos, paragraph.create(null, schema.text(text)))
  }
  let failed = false
  const suggested = suggestTransaction(state, tr, {
    ...options,
    onUnsuggestable: () => {
      failed = true
    },
  })
  return failed || !suggested.docChanged ? null : suggested
}
