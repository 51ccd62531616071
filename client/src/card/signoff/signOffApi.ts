/**
 * The sign-off routes (issue 16): the chair's assignment of a card, a ministry's clearance of its
 * answer and the withdrawal of one. Marking a card final is a status change (`updateCard`).
 */
import {
  type AssignmentRequest,
  type CardResponse,
  type ClearanceResponse,
  cardResponseSchema,
  clearanceResponseSchema,
} from '@kartu/protocol'
import { requestJson } from '../../app/api.ts'

const cardPath = (cardId: string) => `/api/cards/${encodeURIComponent(cardId)}`

/** Who answers the card and by when (the chair; the server checks). */
export function saveAssignment(
  cardId: string,
  assignment: AssignmentRequest,
): Promise<CardResponse> {
  return requestJson('PUT', `${cardPath(cardId)}/assignment`, cardResponseSchema, assignment)
}

/** Clears the answer as it is now, for the caller's own ministry (the server knows which). */
export function giveClearance(cardId: string): Promise<ClearanceResponse> {
  return requestJson('POST', `${cardPath(cardId)}/clearances`, clearanceResponseSchema)
}

/** Withdraws a ministry's clearance (its members, or the chair). */
export function withdrawClearance(cardId: string, ministryId: string): Promise<CardResponse> {
  return requestJson(
    'DELETE',
    `${cardPath(cardId)}/clearances/${encodeURIComponent(ministryId)}`,
    cardResponseSchema,
  )
}
