/**
 * Cross-site request forgery: a browser sends the session cookie with a request whatever page
 * made it, so a request that changes something must show, in its Origin header, that the page is
 * ours. The origin is compared whole (scheme, host and port): http://kartu.example is not
 * https://kartu.example, nor https://kartu.example:8443.
 *
 * Checked, in one onRequest hook, on every request but GET, HEAD and OPTIONS unless it is
 * authenticated by a bearer token alone: with the session cookie, and also without one, so
 * that sign-in (login CSRF: signing a victim into the attacker's account) and sign-out are
 * covered. A browser never adds an Authorization header by itself, and a page of another
 * origin cannot add one without a CORS preflight, which Kartu never grants. The websocket
 * upgrade (a GET) checks the same function when it carries the cookie
 * (http/collabTransport.ts).
 *
 * A request without an Origin header is let through. Browsers send Origin with every
 * cross-origin request and with every same-origin POST, PUT, PATCH and DELETE, so its absence
 * means a client that is not a browser (curl, a script), which a foreign page cannot drive with
 * someone's cookie. Refusing it would gain nothing and break such clients; and the cookie is
 * SameSite=Lax, so browsers do not send it with cross-site POSTs in the first place: this check
 * is the second wall.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { SESSION_COOKIE } from '../auth/Auth.ts'
import { type Config, normaliseOrigin } from '../config.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * True when the request has no Origin header, or its origin is one of the configured public
 * origins, or the origin the request itself was sent to (`request.protocol` and `request.host`,
 * which honour X-Forwarded-Proto and X-Forwarded-Host only from a trusted proxy).
 */
export function isAllowedOrigin(config: Config, request: FastifyRequest): boolean {
  const header = request.headers.origin
  if (header === undefined) return true
  const origin = normaliseOrigin(header)
  if (origin === null) return false
  if (config.publicOrigins.includes(origin)) return true
  return origin === normaliseOrigin(`${request.protocol}://${request.host}`)
}

function hasBearerToken(request: FastifyRequest): boolean {
  return request.headers.authorization?.startsWith('Bearer ') ?? false
}

/** Whether the request must pass the Origin check: see the header comment. */
export function needsOriginCheck(request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return false
  const hasCookie = request.cookies[SESSION_COOKIE] !== undefined
  return hasCookie || !hasBearerToken(request)
}

/** Registers the check; after @fastify/cookie, whose own onRequest hook reads the cookies. */
export function registerOriginCheck(app: FastifyInstance, config: Config): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!needsOriginCheck(request) || isAllowedOrigin(config, request)) return
    request.log.warn(
      { origin: request.headers.origin, method: request.method },
      'state change from a foreign origin refused',
    )
    return reply
      .code(403)
      .send({ error: { code: 'forbidden_origin', message: 'Request from a foreign origin.' } })
  })
}
