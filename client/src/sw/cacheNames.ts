/**
 * Cache Storage names shared by the service worker and the page. Every Kartu cache starts with
 * "kartu-"; the worker deletes, on activate, each one that is not current.
 */
export const CACHE_PREFIX = 'kartu-'

/** The app shell and build assets of one build; the build's version is appended. */
export const STATIC_CACHE_PREFIX = `${CACHE_PREFIX}static-`

/**
 * REST answers (GET /api/...) kept for offline use. Bump the suffix when cached answers of an
 * older server would no longer parse; a new build alone does not drop them, so that a card
 * opened yesterday still opens offline after an update.
 */
export const API_CACHE = `${CACHE_PREFIX}api-v1`

/** Where, inside API_CACHE, the worker notes whose answers the cache holds. */
export const API_OWNER_KEY = '/__kartu/api-cache-owner'

/** The entry page, under which every navigation's answer is kept. */
export const SHELL_URL = '/index.html'

export const staticCacheName = (version: string): string => `${STATIC_CACHE_PREFIX}${version}`

export const isCurrentCache = (name: string, version: string): boolean =>
  !name.startsWith(CACHE_PREFIX) || name === staticCacheName(version) || name === API_CACHE
