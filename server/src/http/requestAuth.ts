/**
 * Resolves the user of an HTTP request (session cookie or `Authorization: Bearer`). Whether a
 * cookie request comes from one of our pages is http/originCheck.ts's business.
 */
import type { FastifyRequest } from 'fastify'
import { type Credential, SESSION_COOKIE } from '../auth/Auth.ts'
import type { Services } from '../services.ts'
import type { UserRecord } from '../store/types.ts'

export type RequestIdentity = {
  user: UserRecord
  via: 'session' | 'token'
  /** What proved it; kept with a websocket so the connection ends when the credential does. */
  credential: Credential
}

/**
 * What identifying a request reads: any route's request will do, whatever its schema's types.
 * The identity is remembered per request object.
 */
export type IdentifiableRequest = Pick<FastifyRequest, 'headers' | 'cookies'> & { query: unknown }

const identities = new WeakMap<IdentifiableRequest, Promise<RequestIdentity | null>>()

function bearerToken(request: IdentifiableRequest): string | null {
  const header = request.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7).trim()
  return null
}

function queryToken(request: IdentifiableRequest): string | null {
  const query = request.query as Record<string, unknown> | undefined
  const token = query?.token
  return typeof token === 'string' ? token : null
}

/** Looks the identity up once per request. `allowQueryToken` is for websocket upgrades only. */
export function identify(
  services: Services,
  request: IdentifiableRequest,
  allowQueryToken = false,
): Promise<RequestIdentity | null> {
  let found = identities.get(request)
  if (!found) {
    found = (async () => {
      const token = bearerToken(request) ?? (allowQueryToken ? queryToken(request) : null)
      if (token) {
        const found = await services.auth.fromToken(token)
        return found ? { ...found, via: 'token' as const } : null
      }
      const cookie = request.cookies[SESSION_COOKIE]
      if (cookie) {
        const found = await services.auth.fromSession(cookie)
        return found ? { ...found, via: 'session' as const } : null
      }
      return null
    })()
    identities.set(request, found)
  }
  return found
}
