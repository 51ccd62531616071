/**
 * The words a comment is being written about stay highlighted in the answer while the comment is
 * written (the DOM selection goes when focus moves to the comment field). Set from the card page
 * with `showPendingComment`; a decoration, so nothing is written to the document.
 */

import type { Editor } from '@tiptap/core'
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

export type HighlightRange = { from: number; to: number }

const key = new PluginKey<DecorationSet>('pendingComment')

export const PendingCommentHighlight = Extension.create({
  name: 'pendingCommentHighlight',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, set) {
            const range = tr.getMeta(key) as HighlightRange | null | undefined
            if (range === null) return DecorationSet.empty
            if (range) {
              return DecorationSet.create(tr.doc, [
                Decoration.inline(range.from, range.to, {
                  class: 'pending-comment',
                  'data-testid': 'pending-comment',
                }),
              ])
            }
            return set.map(tr.mapping, tr.doc)
          },
        },
        props: {
          decorations: (state) => key.getState(state),
        },
      }),
    ]
  },
})

/** Highlights `range` (null: nothing) as the words of the comment being written. */
export function showPendingComment(editor: Editor, range: HighlightRange | null): void {
  if (editor.isDestroyed) return
  const current = key.getState(editor.state)
  if (current === undefined) return
  const shown = current.find()[0]
  if (range === null ? !shown : shown && shown.from === range.from && shown.to === range.to) return
  editor.view.dispatch(editor.state.tr.setMeta(key, range).setMeta('addToHistory', false))
}
