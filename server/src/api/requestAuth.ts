/**
 * Resolves the user of an HTTP request (session cookie or `Authorization: Bearer`), and checks
 * the Origin of cookie-authenticated requests that change something or open a websocket:
 * a cookie is sent by the browser whatever page asks, so the page's origin must be ours.
 */
import type { FastifyRequest } from 'fastify'
import { type Credential, SESSION_COOKIE } from '../auth/Auth.ts'
import type { Config } from '../config.ts'
import type { Services } from '../services.ts'
import type { UserRecord } from '../store/types.ts'

export type RequestIdentity = {
  user: UserRecord
  via: 'session' | 'token'
  /** What proved it; kept with a websocket so the connection ends when the credential does. */
  credential: Credential
}

const identities = new WeakMap<FastifyRequest, Promise<RequestIdentity | null>>()

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7).trim()
  return null
}

function queryToken(request: FastifyRequest): string | null {
  const query = request.query as Record<string, unknown> | undefined
  const token = query?.token
  return typeof token === 'string' ? token : null
}

/** Looks the identity up once per request. `allowQueryToken` is for websocket upgrades only. */
export function identify(
  services: Services,
  request: FastifyRequest,
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

/** True when the request's Origin is one of ours (configured, or the host it was sent to). */
export function isAllowedOrigin(config: Config, request: FastifyRequest): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  if (config.publicOrigins.includes(origin)) return true
  const host = request.headers.host
  if (!host) return false
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}
