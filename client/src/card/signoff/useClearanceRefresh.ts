import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { queryKeys } from '../../app/queryKeys.ts'

/** Long enough for a burst of typing to settle and the server to have the change stored. */
const SETTLE_MS = 4_000

/**
 * A change of the answer (ours or another's, seen live in the card document) makes a current
 * clearance stale on the server, which the page only learns by reading the card again: it does
 * so once the changes settle, while there is a current clearance to lose.
 */
export function useClearanceRefresh(cardId: string, watching: boolean, changed: unknown): void {
  const queryClient = useQueryClient()
  // The document as the page opened it has changed nothing yet.
  const initial = useRef(changed)
  useEffect(() => {
    if (!watching || changed === initial.current) return
    const timer = setTimeout(() => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.card(cardId), exact: true })
    }, SETTLE_MS)
    return () => clearTimeout(timer)
  }, [changed, watching, cardId, queryClient])
}
