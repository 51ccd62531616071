/**
 * The answer editor's extensions on the card page: the shared document model of @kartu/schema,
 * with the review marks rendered for this client (ids and kinds as data attributes), and the
 * suggestion-metadata bridge.
 */
import {
  createAnswerExtensions,
  DeletionMark,
  FormatChangeMark,
  InsertionMark,
  MarkName,
  SuggestionKind,
} from '@kartu/schema'
import { type AnyExtension, Extension, mergeAttributes } from '@tiptap/core'
import type { Transaction } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import { REVIEW_META } from './engine.ts'
import { applyMetaPlan, isEmptyPlan, metaEntries, planSuggestionMeta } from './suggestionMeta.ts'
import { withinSyncTransaction } from './syncTransaction.ts'

/**
 * A change that came from Yjs rather than from this editor: another client's edit, or the
 * initial load. Undo and redo also arrive through Yjs, but they are ours.
 */
export function isRemoteTransaction(transaction: Transaction): boolean {
  const meta: unknown = transaction.getMeta(ySyncPluginKey)
  if (typeof meta !== 'object' || meta === null) return false
  const change = meta as { isChangeOrigin?: unknown; isUndoRedoOperation?: unknown }
  return change.isChangeOrigin === true && change.isUndoRedoOperation !== true
}

/** Accepting or rejecting: the decision code writes the metadata itself. */
export function isReviewTransaction(transaction: Transaction): boolean {
  return transaction.getMeta(REVIEW_META) !== undefined
}

/** Rendering only: the schema (names, attributes, excludes) stays that of @kartu/schema. */
const RenderedInsertion = InsertionMark.extend({
  renderHTML({ HTMLAttributes }) {
    return [
      'ins',
      mergeAttributes(HTMLAttributes, {
        class: 'suggestion suggestion--insertion',
        'data-testid': 'suggestion',
        'data-kind': SuggestionKind.Insert,
      }),
      0,
    ]
  },
})

const RenderedDeletion = DeletionMark.extend({
  renderHTML({ HTMLAttributes }) {
    return [
      'del',
      mergeAttributes(HTMLAttributes, {
        class: 'suggestion suggestion--deletion',
        'data-testid': 'suggestion',
        'data-kind': SuggestionKind.Delete,
      }),
      0,
    ]
  },
})

const RenderedFormatChange = FormatChangeMark.extend({
  renderHTML({ HTMLAttributes }) {
    return [
      'span',
      mergeAttributes(HTMLAttributes, {
        class: 'suggestion suggestion--format',
        'data-testid': 'suggestion',
        'data-kind': SuggestionKind.Format,
      }),
      0,
    ]
  },
})

export type MetaBridgeOptions = {
  doc: Y.Doc | null
  myUserId: string
}

/**
 * After each local change of the answer, writes the suggestion metadata it calls for in the same
 * Yjs transaction (see suggestionMeta.ts). Highest priority: it sees the state before any other
 * extension's dispatch hook ran.
 */
export const SuggestionMetaBridge = Extension.create<MetaBridgeOptions>({
  name: 'kartuSuggestionMeta',
  priority: 10_000,
  addOptions: () => ({ doc: null, myUserId: '' }),
  dispatchTransaction({ transaction, next }) {
    const { doc, myUserId } = this.options
    if (
      !doc ||
      !transaction.docChanged ||
      isRemoteTransaction(transaction) ||
      isReviewTransaction(transaction)
    ) {
      next(transaction)
      return
    }
    const before = this.editor.state.doc
    withinSyncTransaction(
      doc,
      () => next(transaction),
      () => {
        const plan = planSuggestionMeta(
          before,
          this.editor.state.doc,
          metaEntries(doc, myUserId),
          Date.now(),
        )
        if (!isEmptyPlan(plan)) applyMetaPlan(doc, plan)
      },
    )
  },
})

/** The document model, with the review marks rendered for the card page. */
export function createCardExtensions(): AnyExtension[] {
  return createAnswerExtensions().map((extension) => {
    if (extension.name === MarkName.Insertion) return RenderedInsertion
    if (extension.name === MarkName.Deletion) return RenderedDeletion
    if (extension.name === MarkName.FormatChange) return RenderedFormatChange
    return extension
  })
}
