/**
 * Cache Storage names shared by the service worker and the page. Every Kartu cache starts with
 * "kartu-"; the worker deletes, on activate, each one that is not current.
 */
export const CACHE_PREFIX = 'kartu-'

/**
 * The prefix Workbox puts before its own cache names. Its precache is then "kartu-precache-v2",
 * one cache for every build: Workbox keeps it current entry by entry (a revision per file).
 */
export const WORKBOX_PREFIX = 'kartu'

/**
 * REST answers (GET /api/...) kept for offline use. Spelt out (it starts with CACHE_PREFIX) so
 * that the built sw.js names it as it is. Bump the suffix when cached answers of an
 * older server would no longer parse; a new build alone does not drop them, so that a card
 * opened yesterday still opens offline after an update.
 */
export const API_CACHE = 'kartu-api-v1'

/**
 * Hashed build files that are not in the precache: those of an earlier build that a tab opened
 * before the update still loads. Emptied whenever a new worker activates.
 */
export const OLD_ASSETS_CACHE = `${CACHE_PREFIX}assets`

/** Where, inside API_CACHE, the worker notes whose answers the cache holds. */
export const API_OWNER_KEY = '/__kartu/api-cache-owner'

/** The entry page, which every page load is answered with offline. */
export const SHELL_URL = '/index.html'

/**
 * Whether activation keeps a cache: those that are not Kartu's, and the ones named in `current`
 * (the precache and the API cache). The hand-written worker's "kartu-static-<hash>" caches of
 * earlier versions, and OLD_ASSETS_CACHE, go.
 */
export const isCurrentCache = (name: string, current: readonly string[]): boolean =>
  !name.startsWith(CACHE_PREFIX) || current.includes(name)
