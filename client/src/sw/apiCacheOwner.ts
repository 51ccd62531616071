/**
 * Whose REST answers the API cache holds. The cache holds one person's data, and one person's
 * data must never be shown to another on a shared computer: it is emptied on sign-in and
 * sign-out, when /api/me names someone other than the person noted here, and on any 401.
 * Workbox has no notion of this; the functions take the CacheStorage, so that they are unit
 * tested without a worker.
 */
import { API_CACHE, API_OWNER_KEY } from './cacheNames.ts'

/** The id of the person an answer of /api/me (or of signing in) names, if it names one. */
export async function userIdOf(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.json()
    if (typeof body !== 'object' || body === null || !('user' in body)) return null
    const user: unknown = body.user
    if (typeof user !== 'object' || user === null || !('id' in user)) return null
    return typeof user.id === 'string' ? user.id : null
  } catch {
    return null
  }
}

export async function clearApiCache(storage: CacheStorage): Promise<void> {
  await storage.delete(API_CACHE)
}

/**
 * Notes `userId` as the cache's owner. If someone else was noted (perhaps they signed out while
 * the worker was not in control), their answers are dropped first.
 */
export async function admitOwner(storage: CacheStorage, userId: string): Promise<void> {
  const noted = await (await storage.open(API_CACHE)).match(API_OWNER_KEY)
  const previous = noted ? await noted.text() : null
  if (previous === userId) return
  if (previous !== null) await clearApiCache(storage)
  await (await storage.open(API_CACHE)).put(API_OWNER_KEY, new Response(userId))
}
