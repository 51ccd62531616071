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
