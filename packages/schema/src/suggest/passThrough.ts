/**
 * Which transactions the suggestion engine leaves alone.
 */
import type { EditorState, Transaction } from '@tiptap/pm/state'
import { AddMarkStep, RemoveMarkStep } from '@tiptap/pm/transform'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { suggestionMarkTypes } from './suggestionMarks.ts'

/** Meta key (value true) of the transactions that accept or reject suggestions. */
export const REVIEW_META = 'kartu:review'
/** Meta key (value true) that the engine puts on the transactions it produced. */
export const SUGGESTED_META = 'kartu:suggested'

/** The metadata of a transaction, by key (ProseMirror keeps it private; we only read it). */
export function metaOf(tr: Transaction): Readonly<Record<string, unknown>> {
  const meta: unknown = (tr as unknown as { meta?: unknown }).meta
  return typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {}
}

/**
 * A transaction of y-tiptap's sync plugin: a remote change, the initial load, or y-undo's undo
 * and redo (they change Yjs, which comes back through the sync plugin). Those changes were
 * already suggestions, or already decided, where they were made: suggesting them again would
 * turn another author's typing into our suggestion (and a redo of our insertion into a new one),
 * write that back to Yjs, and loop between clients. Besides the key itself, any `y-sync$N` key
 * counts, in case a second copy of y-tiptap or y-prosemirror made its own key.
 */
export function isSyncTransaction(tr: Transaction): boolean {
  if (tr.getMeta(ySyncPluginKey) !== undefined) return true
  return Object.keys(metaOf(tr)).some((key) => /^y-sync\$\d*$/.test(key))
}

/**
 * Whether `tr` passes through suggesting mode unchanged: remote and undo/redo changes (above),
 * our own accept and reject, transactions the engine already produced, anything that changes no
 * text (selection, stored marks), and comment anchoring (adding or removing comment marks only:
 * commenting is allowed to everyone who may suggest).
 *
 * `addToHistory: false` alone is no reason: a transaction that changes the text and was made on
 * this client is the user's edit however it is flagged, and passing it would change the text
 * outside suggestions (which the server refuses from a suggester).
 */
export function passesThrough(state: EditorState, tr: Transaction): boolean {
  if (!tr.docChanged) return true
  if (tr.getMeta(REVIEW_META) !== undefined || tr.getMeta(SUGGESTED_META) !== undefined) {
    return true
  }
  if (isSyncTransaction(tr)) return true
  // Built on another state: it cannot be rewritten against this one (and would not apply).
  if (tr.before !== state.doc) return true
  const comment = suggestionMarkTypes(state.schema).comment
  return (
    comment !== undefined &&
    tr.steps.every(
      (step) =>
        (step instanceof AddMarkStep || step instanceof RemoveMarkStep) &&
        step.mark.type === comment,
    )
  )
}
