import type { DecisionRequest } from './review/decisions.ts'
import type { SuggestionView } from './review/suggestions.ts'
import type { CommentView, ThreadView } from './review/threads.ts'

/** What is chosen in the panel (or followed): its span is scrolled to and highlighted. */
export type ActiveItem = {
  kind: 'suggestion' | 'thread'
  id: string
  /** Bumped to scroll to the same item again. */
  reveal?: number
}

/** What the review panel can do to the card; the card workspace implements it. */
export type ReviewActions = {
  select(item: ActiveItem): void
  decide(request: DecisionRequest): void
  /** Creates the pending thread; returns an error message, or null when it was created. */
  submitThread(body: string): string | null
  cancelThread(): void
  reply(thread: ThreadView, body: string): void
  /** A reply on a suggestion: in its open thread, or a new thread naming it. */
  replyToSuggestion(suggestion: SuggestionView, body: string): void
  edit(thread: ThreadView, comment: CommentView, body: string): void
  remove(comment: CommentView): void
  resolve(thread: ThreadView, resolved: boolean): void
}
