/**
 * Suggesting mode as a Tiptap extension: while its storage says `suggesting`, every transaction
 * the editor dispatches goes through suggestTransaction (through Tiptap 3's dispatchTransaction
 * hook) before it is applied. The rewriting itself is pure (suggestTransaction.ts). In editing
 * mode, transactions go through directEdit (typed text never joins someone's suggestion).
 */
import { Extension } from '@tiptap/core'
import { directEdit } from './directEdit.ts'
import { randomId } from './randomId.ts'
import { type SuggestOptions, suggestTransaction } from './suggestTransaction.ts'

export type SuggestChangesOptions = SuggestOptions

export type SuggestChangesStorage = {
  /** Whether edits are turned into suggestions. */
  suggesting: boolean
}

/** Meta key (value: the new mode) of the transaction that switches suggesting mode. */
export const SUGGESTING_META = 'kartu:suggesting'

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    suggestChanges: {
      /** Turns suggesting mode on or off. */
      setSuggesting: (on: boolean) => ReturnType
    }
  }
  interface Storage {
    suggestChanges: SuggestChangesStorage
  }
}

export const SuggestChanges = Extension.create<SuggestChangesOptions, SuggestChangesStorage>({
  name: 'suggestChanges',

  addOptions() {
    return {
      newId: randomId,
      // The client must say which suggestions are the user's (from the Yjs metadata); without
      // it, a user's edits never continue their earlier suggestion.
      isOwnSuggestion: () => false,
      onUnsuggestable: undefined,
    }
  },

  addStorage() {
    return { suggesting: false }
  },

  addCommands() {
    return {
      setSuggesting:
        (on) =>
        ({ tr, dispatch }) => {
          if (dispatch) {
            this.storage.suggesting = on
            // A transaction of its own, so that the UI (which re-renders on transactions)
            // shows the new mode.
            tr.setMeta(SUGGESTING_META, on)
          }
          return true
        },
    }
  },

  dispatchTransaction({ transaction, next }) {
    if (!this.storage.suggesting) {
      // Editing mode: typed text is the editor's own, and typing over a selection is written
      // as a deletion, then new text (directEdit.ts).
      const plan = directEdit(this.editor.state, transaction)
      next(plan.first)
      if (plan.second) next(plan.second(this.editor.state))
      return
    }
    next(suggestTransaction(this.editor.state, transaction, this.options))
  },
})
