import { cardDocumentName, type MeResponse } from '@kartu/protocol'
import type { QueryClient } from '@tanstack/react-query'
import { cachedCard } from './cachedCard.ts'
import { queryKeys } from './queryKeys.ts'

/**
 * Opens the card's document as the person clicks it (the route's loader), while the card page is
 * still being built: on a slow link connecting and syncing take round trips that then overlap
 * the page's own work instead of following it. Only for a card the dashboard lists (the server
 * said it exists and we may see it), and only when the sync code is loaded already (the
 * dashboard loaded it). The registry keeps the session a few seconds for the page to take over.
 */
export function openCardAhead(queryClient: QueryClient, cardId: string): void {
  const me = queryClient.getQueryData<MeResponse>(queryKeys.me)
  if (!me || !cachedCard(queryClient, cardId)) return
  void import('../sync/sessionRegistry.ts').then(({ acquireSession, releaseSession }) => {
    releaseSession(acquireSession(me.user.id, cardDocumentName(cardId)))
  })
}
