/**
 * The one place where the card page meets the suggestion engine of @kartu/schema: what it needs
 * from the engine, and the editor's suggesting mode.
 */
import {
  type AlternativesOptions,
  groupAlternatives as engineGroupAlternatives,
  REVIEW_META,
  Resolution,
  resolveSuggestions,
  SuggestChanges,
  type SuggestChangesOptions,
  type SuggestionSpan,
} from '@kartu/schema'
import type { AnyExtension, Editor } from '@tiptap/core'
import type { EditorState, Transaction } from '@tiptap/pm/state'

export {
  acceptSuggestions,
  collectSuggestions,
  REVIEW_META,
  randomId,
  rejectSuggestions,
  type SuggestionSpan,
} from '@kartu/schema'

export type SuggestingOptions = SuggestChangesOptions

/** The engine's editor extension: it turns edits into suggestions while suggesting is on. */
export function suggestingExtensions(options: SuggestingOptions): AnyExtension[] {
  return [SuggestChanges.configure(options)]
}

/** Whether this build has the engine (the mode switch is offered only then). */
export const engineAvailable = true

export function isSuggesting(editor: Editor): boolean {
  return editor.storage.suggestChanges?.suggesting === true
}

export function setSuggesting(editor: Editor, on: boolean): void {
  if (!editor.isDestroyed && isSuggesting(editor) !== on) editor.commands.setSuggesting(on)
}

/**
 * One transaction that accepts some suggestions and rejects others (accepting one alternative
 * and rejecting its competitors is one change of the answer, not two).
 */
export function decideSuggestions(
  state: EditorState,
  accept: readonly string[],
  reject: readonly string[],
): Transaction {
  const accepted = new Set(accept)
  const rejected = new Set(reject)
  const tr = state.tr
  resolveSuggestions(tr, (id) =>
    accepted.has(id) ? Resolution.Accept : rejected.has(id) ? Resolution.Reject : null,
  )
  return tr.setMeta(REVIEW_META, true)
}

/** Competing suggestions; suggestions of one author never compete with each other. */
export function groupAlternatives(
  spans: readonly SuggestionSpan[],
  authorOf: (id: string) => string | null,
): string[][] {
  const options: AlternativesOptions = {
    sameAuthor: (a, b) => {
      const first = authorOf(a)
      return first !== null && first === authorOf(b)
    },
  }
  return engineGroupAlternatives(spans, options)
}
