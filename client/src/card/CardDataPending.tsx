import { Loading } from '../app/Loading.tsx'
import { QueryError } from '../app/QueryError.tsx'

type Query = { data: unknown; error: unknown; refetch: () => Promise<unknown> }

/**
 * What a card's page shows until the card and its deck are loaded: the failure, with one retry
 * for both, or a spinner. Data already held wins over a failed refresh (offline, the page must
 * stay as it was), so only a query without data can fail the page.
 */
export function CardDataPending({ card, deck }: { card: Query; deck: Query }) {
  const error = (card.data ? null : card.error) ?? (deck.data ? null : deck.error)
  if (!error) return <Loading />
  return (
    <QueryError
      error={error}
      onRetry={() => {
        void card.refetch()
        void deck.refetch()
      }}
    />
  )
}
