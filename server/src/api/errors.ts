import type { FastifyReply } from 'fastify'

/**
 * Errors the API answers with: JSON `{ error: { code, message, issues? } }` and an HTTP status.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export const unauthorized = () => new HttpError(401, 'unauthorized', 'Sign in first.')
export const forbidden = (message = 'You may not do this.') =>
  new HttpError(403, 'forbidden', message)
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found.`)

/**
 * The answer to a password guess over the sign-in limits (sign-in, or the current password on
 * the account page): 429 with Retry-After, and the password was not looked at.
 */
export function sendTooManyAttempts(
  reply: FastifyReply,
  retryAfterSec: number,
  message: string,
): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSec))
    .send({ error: { code: 'too_many_attempts', message } })
}
