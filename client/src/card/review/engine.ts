/**
 * The one place where the card page meets the suggestion engine of @kartu/schema: what it needs
 * from the engine, and the editor's suggesting mode.
 */
import {
  type AlternativesOptions,
  ChangesOthersSuggestion,
  groupAlternatives as engineGroupAlternatives,
  SuggestChanges,
  type SuggestChangesOptions,
  type SuggestionSpan,
} from '@kartu/schema'
import type { AnyExtension, Editor } from '@tiptap/core'

export {
  acceptSuggestions,
  collectSuggestions,
  // One transaction that accepts some suggestions and rejects others: the tested one of the
  // engine, so that what the chair does is what the server's and the engine's tests check.
  decideSuggestions,
  REVIEW_META,
  randomId,
  rejectSuggestions,
  type SuggestionSpan,
} from '@kartu/schema'

export type SuggestingOptions = SuggestChangesOptions

/**
 * Why an edit made while suggesting did not go in as made: another person's suggestion would
 * have changed (the edit was not applied); the selection held one (the typed text was proposed
 * next to it, the selection kept); or the engine could not propose it at all.
 */
export type Unsuggestable = 'othersSuggestion' | 'selectionKept' | 'cannot'

/** The engine's reason for a dropped edit, as the card page tells it. */
export function unsuggestableReason(error: unknown): Unsuggestable {
  return error instanceof ChangesOthersSuggestion ? 'othersSuggestion' : 'cannot'
}

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
