/**
 * The server's refusals of a sign-off call, in the reader's language: its messages are English
 * and written for logs, while the person acting needs to know what to do next.
 */
import { ApiError } from '../../app/api.ts'

/** Refusals the panel explains itself; any other error shows the server's message. */
export const SIGN_OFF_REFUSALS = {
  not_assigned: 'signOff.refused.not_assigned',
  card_final: 'signOff.refused.card_final',
  forbidden: 'signOff.refused.forbidden',
  clearance_missing: 'signOff.refused.clearance_missing',
} as const

export type SignOffRefusal = keyof typeof SIGN_OFF_REFUSALS

function isRefusal(code: string): code is SignOffRefusal {
  // Own keys only: "constructor" is no refusal.
  return Object.hasOwn(SIGN_OFF_REFUSALS, code)
}

/**
 * Which refusal an error is, or null when the panel has no words of its own for it. A 403
 * with another code is a role refusal all the same.
 */
export function signOffRefusal(error: unknown): SignOffRefusal | null {
  if (!(error instanceof ApiError)) return null
  if (isRefusal(error.code)) return error.code
  if (error.status === 403) return 'forbidden'
  return null
}

/** The chair tried to finalise while a clearance is missing (one went stale meanwhile). */
export function isClearanceMissing(error: unknown): boolean {
  return signOffRefusal(error) === 'clearance_missing'
}
