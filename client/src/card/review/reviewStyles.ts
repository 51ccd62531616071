/**
 * Per-suggestion and per-thread styles: each suggestion in its author's ministry colour, resolved
 * threads without their highlight, and the span that is focused now. Written as a stylesheet keyed
 * by id attribute, so it follows the marks through every re-render (remote changes rebuild the
 * editor's DOM). Ids come from other clients: only safe ones are written into CSS.
 */
import type { Ministry } from '@kartu/protocol'
import { neutralColor, safeColor } from '../../app/colors.ts'
import type { SuggestionView } from './suggestions.ts'
import type { ThreadView } from './threads.ts'

const safeId = /^[A-Za-z0-9_-]{1,128}$/

export type ReviewFocus = {
  suggestionId?: string | null
  threadId?: string | null
}

export function ministryColor(ministryId: string | undefined, ministries: readonly Ministry[]) {
  const ministry = ministries.find((candidate) => candidate.id === ministryId)
  return ministry ? safeColor(ministry.color) : neutralColor
}

export function reviewCss(
  scope: string,
  suggestions: readonly SuggestionView[],
  threads: readonly ThreadView[],
  ministries: readonly Ministry[],
  focus: ReviewFocus,
): string {
  const rules: string[] = []
  for (const suggestion of suggestions) {
    if (!safeId.test(suggestion.id)) continue
    const color = ministryColor(suggestion.author?.ministryId, ministries)
    rules.push(
      `${scope} :is([data-suggestion-id="${suggestion.id}"],[data-join-suggestion="${suggestion.id}"],[data-format-suggestion="${suggestion.id}"]){--suggestion-color:${color}}`,
    )
  }
  for (const thread of threads) {
    if (thread.resolved && safeId.test(thread.id)) {
      rules.push(
        `${scope} .comment-anchor[data-thread-id="${thread.id}"]{--comment-bg:transparent;--comment-line:transparent}`,
      )
    }
  }
  if (focus.suggestionId && safeId.test(focus.suggestionId)) {
    rules.push(
      `${scope} :is([data-suggestion-id="${focus.suggestionId}"],[data-join-suggestion="${focus.suggestionId}"],[data-format-suggestion="${focus.suggestionId}"]){outline:3px solid var(--color-focus);outline-offset:2px;border-radius:2px;--suggestion-focused:1}`,
    )
  }
  if (focus.threadId && safeId.test(focus.threadId)) {
    rules.push(
      `${scope} .comment-anchor[data-thread-id="${focus.threadId}"]{--comment-bg:#ffd54f;outline:2px solid #8a6d00}`,
    )
  }
  return rules.join('\n')
}
