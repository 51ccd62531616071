/**
 * Replies on a suggestion live in a thread that names it (`suggestionId`, cardLayout.ts). Its
 * author, taking the suggestion back, closes the discussion with it, even when someone else
 * opened the thread: one Yjs transaction removes their suggestion's metadata and resolves its
 * threads (the client's `decide`). This is the one rule for those threads beyond the others'.
 */
import { SUGGESTIONS_FIELD, ThreadField } from '@kartu/schema'
import type * as Y from 'yjs'

/**
 * Whether `thread` is resolved now because its suggestion is withdrawn in this very update by
 * its author: the update deleted the suggestion's metadata entry, and that entry was the
 * sender's own (only an author may delete theirs; the policy checks that too).
 */
export function resolvedByWithdrawal(
  doc: Y.Doc,
  thread: Y.Map<unknown>,
  deleted: readonly Y.Item[],
  isOwn: (item: Y.Item | null) => boolean,
): boolean {
  if (thread.get(ThreadField.Resolved) !== true) return false
  const suggestionId = thread.get(ThreadField.SuggestionId)
  if (typeof suggestionId !== 'string') return false
  const suggestions = doc.getMap(SUGGESTIONS_FIELD) as unknown
  return deleted.some(
    (item) => item.parent === suggestions && item.parentSub === suggestionId && isOwn(item),
  )
}
