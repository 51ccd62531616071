/**
 * The Workbox plugins that decide what the API cache (API_CACHE) keeps: the rules of
 * apiCacheOwner.ts, applied where Workbox offers each answer for caching.
 */
import type { WorkboxPlugin } from 'workbox-core/types'
import { admitOwner, clearApiCache, userIdOf } from './apiCacheOwner.ts'
import { API_CACHE } from './cacheNames.ts'

export const ME_PATH = '/api/me'
export const SIGN_IN_PATH = '/api/auth/sign-in'

const isJson = (response: Response): boolean =>
  (response.headers.get('Content-Type') ?? '').startsWith('application/json')

/**
 * Whether to keep an answer of GET /api/...: 2xx JSON only. A 401 means the session is over, so
 * whatever it could see must not be shown offline any more; another error means the cached copy
 * is stale (a card deleted, access withdrawn). An answer of /api/me that names someone else
 * empties the cache before it is kept. Returns the answer to keep, or null.
 */
export async function answerToKeep(
  storage: CacheStorage,
  request: Request,
  response: Response,
): Promise<Response | null> {
  if (response.status === 401) {
    await clearApiCache(storage)
    return null
  }
  if (!response.ok) {
    await (await storage.open(API_CACHE)).delete(request)
    return null
  }
  if (!isJson(response)) return null
  if (new URL(request.url).pathname === ME_PATH) {
    const owner = await userIdOf(response.clone())
    // An answer that names nobody cannot be told apart from someone else's: not kept.
    if (owner === null) return null
    await admitOwner(storage, owner)
  }
  return response
}

/** For the network-first route of GET /api/... (Workbox calls it for every network answer). */
export const keepApiAnswers = (storage: CacheStorage): WorkboxPlugin => ({
  cacheWillUpdate: ({ request, response }) => answerToKeep(storage, request, response),
})

/**
 * For sign-in and sign-out (/api/auth/...), which go to the network: the previous person's
 * answers are dropped before the request goes out. Signing in answers with what GET /api/me
 * would: it is kept as that, since the app takes it from there and does not ask /api/me again
 * (a reload while offline needs it).
 */
export const forgetApiAnswersOnAuth = (storage: CacheStorage): WorkboxPlugin => ({
  async requestWillFetch({ request }) {
    await clearApiCache(storage)
    return request
  },
  async fetchDidSucceed({ request, response }) {
    if (response.ok && new URL(request.url).pathname === SIGN_IN_PATH) {
      const me = new Request(new URL(ME_PATH, request.url))
      const kept = await answerToKeep(storage, me, response.clone())
      if (kept) await (await storage.open(API_CACHE)).put(me, kept)
    }
    return response
  },
})
