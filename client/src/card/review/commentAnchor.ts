/**
 * The words a new comment is about. Chosen when the person presses "Comment", used when they
 * send it a few seconds later: in between, others may have typed, and y-sync rebuilds the
 * ProseMirror document on every remote change (so ProseMirror positions do not survive). The
 * range is therefore kept as Yjs relative positions.
 */
import { MarkName } from '@kartu/schema'
import type { Editor } from '@tiptap/core'
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { randomId } from './engine.ts'
import { inReviewTransaction } from './syncTransaction.ts'
import { createThread, type NewComment } from './threads.ts'

export type Range = { from: number; to: number }

export type PendingComment = {
  quote: string
  /** Relative positions when the sync binding is there, else plain positions. */
  from: unknown
  to: unknown
}

type Binding = { type: Y.XmlFragment; doc: Y.Doc; mapping: Map<Y.AbstractType<unknown>, unknown> }

function binding(editor: Editor): Binding | null {
  const state: unknown = ySyncPluginKey.getState(editor.state)
  if (typeof state !== 'object' || state === null || !('binding' in state)) return null
  const value = (state as { binding: unknown }).binding
  if (typeof value !== 'object' || value === null) return null
  const candidate = value as Partial<Binding>
  if (!(candidate.type instanceof Y.XmlFragment) || !candidate.mapping || !candidate.doc) {
    return null
  }
  return candidate as Binding
}

/**
 * The selected range of the answer. A read-only editor may not mirror the page's selection into
 * its state, so the browser's selection is read when the editor's own is empty.
 */
export function selectedRange(editor: Editor): Range | null {
  const { from, to, empty } = editor.state.selection
  if (!empty) return { from, to }
  const selection = window.getSelection()
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null
  const view = editor.view
  const range = selection.getRangeAt(0)
  if (!view.dom.contains(range.startContainer) || !view.dom.contains(range.endContainer)) {
    return null
  }
  try {
    const start = view.posAtDOM(range.startContainer, range.startOffset)
    const end = view.posAtDOM(range.endContainer, range.endOffset)
    return start === end ? null : { from: Math.min(start, end), to: Math.max(start, end) }
  } catch {
    return null
  }
}

export function beginComment(editor: Editor, range: Range): PendingComment | null {
  const quote = editor.state.doc.textBetween(range.from, range.to, '\n', ' ').trim()
  if (!quote) return null
  const sync = binding(editor)
  if (!sync) return { quote, from: range.from, to: range.to }
  return {
    quote,
    from: absolutePositionToRelativePosition(range.from, sync.type, sync.mapping as never),
    to: absolutePositionToRelativePosition(range.to, sync.type, sync.mapping as never),
  }
}

export function resolvePending(editor: Editor, pending: PendingComment): Range | null {
  const sync = binding(editor)
  let from: number | null
  let to: number | null
  if (typeof pending.from === 'number' && typeof pending.to === 'number') {
    from = pending.from
    to = pending.to
  } else if (sync) {
    from = relativePositionToAbsolutePosition(
      sync.doc,
      sync.type,
      pending.from,
      sync.mapping as never,
    )
    to = relativePositionToAbsolutePosition(sync.doc, sync.type, pending.to, sync.mapping as never)
  } else {
    return null
  }
  const size = editor.state.doc.content.size
  if (from === null || to === null || from >= to || to > size) return null
  return { from, to }
}

/**
 * Anchors a new thread: the comment mark on the range and the thread in `threads`, in one Yjs
 * transaction. The ProseMirror change adds a mark and nothing else, so a commenter (whose role
 * may not change the text) can make it too.
 */
export function createAnchoredThread(
  editor: Editor,
  doc: Y.Doc,
  range: Range,
  quote: string,
  first: NewComment,
): string | null {
  const markType = editor.schema.marks[MarkName.Comment]
  if (!markType || editor.isDestroyed) return null
  const threadId = randomId()
  inReviewTransaction(doc, () => {
    editor.view.dispatch(
      editor.state.tr
        .addMark(range.from, range.to, markType.create({ threadId }))
        .setMeta('addToHistory', false),
    )
    createThread(doc, threadId, quote, first)
  })
  return threadId
}
