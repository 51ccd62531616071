/**
 * Writing to the card document together with an editor change, in ONE Yjs transaction.
 *
 * The Collaboration extension (y-tiptap's sync plugin) writes each ProseMirror change into Yjs
 * synchronously during dispatch, in its own transaction with origin ySyncPluginKey. Two ways to
 * join it:
 * - `withinSyncTransaction`: run our writes inside the sync plugin's transaction (at its start).
 *   Used for typing: the sync plugin's own observers stay muted, and undo keeps working.
 * - `inReviewTransaction`: wrap the dispatch in an outer transaction of our own origin. Used for
 *   decisions and comment anchors: the undo manager does not track that origin, so Ctrl+Z cannot
 *   take back a decision or a thread's anchor without its record.
 */
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'

/** The origin of Kartu's review transactions (decisions, threads). */
export const REVIEW_ORIGIN = 'kartu:review'
/** The origin of metadata written apart from an editor change (rare: see below). */
export const META_ORIGIN = 'kartu:meta'

export function withinSyncTransaction(doc: Y.Doc, dispatch: () => void, write: () => void): void {
  let written = false
  const onBeforeTransaction = (transaction: Y.Transaction): void => {
    if (written || transaction.origin !== ySyncPluginKey) return
    written = true
    // An exception here would leave the Yjs transaction half open: keep it contained.
    try {
      write()
    } catch (error) {
      console.error('kartu: writing review data failed', error)
    }
  }
  doc.on('beforeTransaction', onBeforeTransaction)
  try {
    dispatch()
  } finally {
    doc.off('beforeTransaction', onBeforeTransaction)
  }
  // No sync transaction happened (inside another transaction, or no view): write now.
  if (!written) doc.transact(write, META_ORIGIN)
}

export function inReviewTransaction(doc: Y.Doc, run: () => void): void {
  doc.transact(run, REVIEW_ORIGIN)
}
