import type { ActivityKind } from '@kartu/protocol'
import { useQuery } from '@tanstack/react-query'
import { fetchActivity } from './api.ts'
import { queryKeys } from './queryKeys.ts'

/** Asked again this often: the feed (and a card's decision log) follows the deck while open. */
const REFRESH_MS = 15_000

/**
 * A deck's activity, or a card's timeline, as seen by one ministry filter ('' for every
 * ministry), or only some kinds of it: a card's decision log asks for its sign-off events alone,
 * so that a busy card's edits never crowd them out of the answer's limit. Invalidating
 * `queryKeys.activityOf` refreshes every one of them.
 */
export function useActivity(
  scope: { deckId: string } | { cardId: string },
  ministry: string,
  kinds: readonly ActivityKind[] = [],
) {
  return useQuery({
    queryKey: [...queryKeys.activity(scope, ministry), kinds.join(',')],
    queryFn: () => fetchActivity(scope, ministry === '' ? null : ministry, kinds),
    // Only the whole feed polls. A few kinds (the decision log's sign-off events) change when
    // someone signs off, which invalidates them; a second timer would be one more background
    // request whose 401, after the session ended elsewhere, could beat the socket's 4401 banner.
    refetchInterval: kinds.length === 0 ? REFRESH_MS : false,
  })
}
