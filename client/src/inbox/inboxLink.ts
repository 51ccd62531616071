/**
 * Where an inbox item leads: the exact place in its card. The card page reads the parameter and
 * selects the thread or suggestion in its review panel, or compares the text a clearance held
 * with the answer now.
 */
import type { InboxItem } from '@kartu/protocol'

type LinkedItem = Pick<InboxItem, 'kind' | 'cardId' | 'threadId' | 'suggestionId' | 'versionId'>

export function inboxItemLink(item: LinkedItem): string {
  const card = `/cards/${encodeURIComponent(item.cardId)}`
  const withParam = (name: string, value: string | null) =>
    value === null || value === '' ? card : `${card}?${name}=${encodeURIComponent(value)}`
  switch (item.kind) {
    case 'mention':
    case 'reply':
      return withParam('thread', item.threadId)
    case 'decision':
      return withParam('suggestion', item.suggestionId)
    case 'clearance_stale':
      return withParam('compare', item.versionId)
    case 'assigned':
    case 'due_soon':
      return card
  }
}

/**
 * The review item a card's address names (`?thread=` or `?suggestion=`, an inbox item's link),
 * for the card page to choose at once; null when it names none.
 */
export function linkedReviewItem(
  params: URLSearchParams,
): { kind: 'thread' | 'suggestion'; id: string; reveal: number } | null {
  const thread = params.get('thread')
  if (thread) return { kind: 'thread', id: thread, reveal: 1 }
  const suggestion = params.get('suggestion')
  if (suggestion) return { kind: 'suggestion', id: suggestion, reveal: 1 }
  return null
}

/**
 * The version a card's address asks to compare with the answer now (`?compare=`, a stale
 * clearance's inbox link: the text the person cleared); null when it names none.
 */
export function linkedCompareVersion(params: URLSearchParams): string | null {
  const versionId = params.get('compare')
  return versionId ? versionId : null
}
