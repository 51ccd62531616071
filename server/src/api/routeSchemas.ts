/**
 * What every REST route's schema shares: the error answer for each status a route may give, the
 * path parameters, and the credentials a signed-in route accepts. The request and response shapes
 * themselves are @kartu/protocol's, the ones the client parses its answers with.
 */
import { errorResponseSchema } from '@kartu/protocol'
import { z } from 'zod'

/** The error answer, `{ error: { code, message, issues? } }`, for any 4xx and 5xx. */
export const errorResponses = {
  '4xx': {
    description: 'The request was refused: see error.code.',
    content: { 'application/json': { schema: errorResponseSchema } },
  },
  '5xx': {
    description: 'The server failed: error.code is "internal".',
    content: { 'application/json': { schema: errorResponseSchema } },
  },
} as const

/** An answer with no body (204). */
export const noContent = z.null().describe('No content.')

export const deckParams = z.object({ deckId: z.string().min(1).max(64) })
export const cardParams = z.object({ cardId: z.string().min(1).max(64) })
export const memberParams = deckParams.extend({ userId: z.string().min(1).max(64) })
export const versionParams = cardParams.extend({ versionId: z.string().min(1).max(64) })

/** The security schemes in the OpenAPI document (http/openApi.ts). */
export const SecurityScheme = {
  /** A personal access token, `Authorization: Bearer kartu_...` (`kartu token issue`). */
  Bearer: 'personalAccessToken',
  /** The browser's session cookie, set by `POST /api/auth/sign-in`. */
  Session: 'sessionCookie',
} as const

/** Either credential will do. */
export const signedIn: Array<Record<string, string[]>> = [
  { [SecurityScheme.Bearer]: [] },
  { [SecurityScheme.Session]: [] },
]

/** `GET /healthz`. */
export const healthResponseSchema = z.object({ ok: z.literal(true) })

/** `GET /readyz`: the rooms open in memory and the websocket connections. */
export const readinessResponseSchema = z.object({
  ok: z.literal(true),
  rooms: z.number().int(),
  connections: z.number().int(),
  /** Several nodes only: whether this node hears the others through Redis. */
  redis: z.enum(['up', 'down']).optional(),
})
