import { type Card, missingClearances } from '@kartu/protocol'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { updateCard } from '../../app/api.ts'
import { isClearanceMissing } from './signOffErrors.ts'
import { useAfterSignOff } from './useSignOffMutations.ts'

export type FinalFlow = {
  /** Marks the card final, or asks for a reason first when a ministry has not cleared. */
  start: () => void
  /** Finalises: with the chair's reason (an override), or plainly when nothing is missing now. */
  confirm: (reason: string | null) => void
  cancel: () => void
  /** The override dialog is open. */
  asking: boolean
  /** The server refused a plain "final" (a clearance went stale meanwhile): its words. */
  serverMessage: string | null
  pending: boolean
  /** A failure other than the missing clearance the dialog handles. */
  error: Error | null
}

/**
 * The one way a card becomes final, from the sign-off panel and from the status list alike: a
 * plain status change when every assigned ministry cleared the text now, else the chair's
 * override with a reason. The server has the last word: its `clearance_missing` (a clearance
 * went stale after the page last read the card) opens the override dialog too.
 */
export function useFinalise(card: Card, onFinal?: () => void): FinalFlow {
  const settled = useAfterSignOff(card.id)
  const [asking, setAsking] = useState(false)
  const [serverMessage, setServerMessage] = useState<string | null>(null)
  const mutation = useMutation({
    mutationFn: (reason: string | null) =>
      updateCard(
        card.id,
        reason === null ? { status: 'final' } : { status: 'final', override: { reason } },
      ),
    onSuccess: (response) => {
      settled(response)
      setAsking(false)
      setServerMessage(null)
      onFinal?.()
    },
    onError: (error) => {
      settled(undefined)
      if (isClearanceMissing(error)) {
        setServerMessage(error.message)
        setAsking(true)
      }
    },
  })
  const error = mutation.error && !isClearanceMissing(mutation.error) ? mutation.error : null
  return {
    start: () => {
      mutation.reset()
      setServerMessage(null)
      if (missingClearances(card).length === 0) mutation.mutate(null)
      else setAsking(true)
    },
    confirm: (reason) => mutation.mutate(reason),
    cancel: () => {
      setAsking(false)
      setServerMessage(null)
      mutation.reset()
    },
    asking,
    serverMessage,
    pending: mutation.isPending,
    error,
  }
}
