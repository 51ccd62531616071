/**
 * Selecting words of a read-only answer from the keyboard, for a commenter (or anyone who may
 * not change the text) who does not use a mouse: arrows move a caret, Shift+arrows select,
 * Ctrl (or Alt on a Mac) moves by word, Home and End go to the line's ends, Ctrl+Home and Ctrl+End to the answer's.
 * The browser does not do it in content that is not editable, so the keys move the DOM
 * selection themselves (Selection.modify), and ProseMirror reads it as it reads a mouse
 * selection. A caret is drawn where the selection is empty, while the answer has focus.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

type Move = { direction: 'forward' | 'backward'; granularity: string }

/** The caret move a key asks for, or null for keys this does not handle. */
export function moveOf(event: {
  key: string
  ctrlKey: boolean
  altKey: boolean
  metaKey: boolean
}): Move | null {
  const byWord = event.ctrlKey || event.altKey
  switch (event.key) {
    case 'ArrowLeft':
      return { direction: 'backward', granularity: byWord ? 'word' : 'character' }
    case 'ArrowRight':
      return { direction: 'forward', granularity: byWord ? 'word' : 'character' }
    case 'ArrowUp':
      return { direction: 'backward', granularity: 'line' }
    case 'ArrowDown':
      return { direction: 'forward', granularity: 'line' }
    case 'Home':
      return {
        direction: 'backward',
        granularity: event.ctrlKey ? 'documentboundary' : 'lineboundary',
      }
    case 'End':
      return {
        direction: 'forward',
        granularity: event.ctrlKey ? 'documentboundary' : 'lineboundary',
      }
    default:
      return null
  }
}

const key = new PluginKey<boolean>('readOnlySelection')

function moveCaret(view: EditorView, event: KeyboardEvent): boolean {
  if (view.editable || event.metaKey) return false
  const move = moveOf(event)
  const selection = view.dom.ownerDocument.getSelection()
  if (!move || !selection) return false
  if (!selection.anchorNode || !view.dom.contains(selection.anchorNode)) {
    // No caret in the answer yet: start where ProseMirror's selection is (the start).
    const { node, offset } = view.domAtPos(view.state.selection.head)
    selection.collapse(node, offset)
  }
  selection.modify(event.shiftKey ? 'extend' : 'move', move.direction, move.granularity)
  event.preventDefault()
  return true
}

export const ReadOnlySelection = Extension.create({
  name: 'readOnlySelection',
  addProseMirrorPlugins() {
    return [
      new Plugin<boolean>({
        key,
        // Whether the read-only answer has focus (the caret is drawn only then).
        state: {
          init: () => false,
          apply: (tr, focused) => {
            const next = tr.getMeta(key) as boolean | undefined
            return next ?? focused
          },
        },
        props: {
          handleDOMEvents: {
            keydown: (view, event) => moveCaret(view, event),
            focus: (view) => {
              if (!view.editable) view.dispatch(view.state.tr.setMeta(key, true))
              return false
            },
            blur: (view) => {
              if (key.getState(view.state)) view.dispatch(view.state.tr.setMeta(key, false))
              return false
            },
          },
          decorations(state) {
            if (!key.getState(state) || !state.selection.empty) return null
            const caret = Decoration.widget(
              state.selection.head,
              () => {
                const mark = document.createElement('span')
                mark.className = 'readonly-caret'
                mark.setAttribute('aria-hidden', 'true')
                return mark
              },
              { side: 0, key: 'readonly-caret', ignoreSelection: true },
            )
            return DecorationSet.create(state.doc, [caret])
          },
        },
      }),
    ]
  },
})
